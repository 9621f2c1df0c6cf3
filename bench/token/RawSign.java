import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.atomic.LongAdder;

/**
 * The peer figure for the token benchmark: how many ES256 signatures a second the JDK itself makes
 * with the same key, on the same number of threads, over a payload the size of a token.
 * Usage: java RawSign.java KEY.pem THREADS SECONDS
 */
public class RawSign {
    public static void main(String[] args) throws Exception {
        String pem = Files.readString(Path.of(args[0])).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        int threads = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        byte[] payload = new byte[600];
        LongAdder count = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            ts[i] = new Thread(() -> {
                try {
                    while (System.nanoTime() < warmEnd) {
                        sign(key, payload);
                    }
                    while (System.nanoTime() < end) {
                        sign(key, payload);
                        count.increment();
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        System.out.printf("%.0f%n", count.sum() / (double) (seconds - 2));
    }

    private static void sign(PrivateKey key, byte[] payload) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(payload);
        s.sign();
    }
}
