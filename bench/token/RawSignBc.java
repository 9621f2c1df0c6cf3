import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * RawSign's twin for Bouncy Castle: ES256 signatures a second with BC's low-level ECDSA over P-256
 * and RFC 6979 nonces, on the same key and thread count ({@code serve} runs the same code with the JDK's
 * SHA-256 underneath).
 * Usage: java -cp target/portcullis.jar RawSignBc.java KEY.pem THREADS SECONDS
 */
public class RawSignBc {
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

    public static void main(String[] args) throws Exception {
        String pem = Files.readString(Path.of(args[0])).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        ECPrivateKeyParameters params = new ECPrivateKeyParameters(key.getS(), DOMAIN);
        int threads = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        byte[] payload = new byte[600];
        LongAdder count = new LongAdder();
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            ts[i] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    sign(params, payload);
                    if (System.nanoTime() > warmEnd) {
                        count.increment();
                    }
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        System.out.printf("%.0f%n", count.sum() / (double) (seconds - 2));
    }

    private static void sign(ECPrivateKeyParameters key, byte[] payload) {
        SHA256Digest sha = new SHA256Digest();
        sha.update(payload, 0, payload.length);
        byte[] digest = new byte[32];
        sha.doFinal(digest, 0);
        ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        ecdsa.init(true, key);
        ecdsa.generateSignature(digest);
    }
}
