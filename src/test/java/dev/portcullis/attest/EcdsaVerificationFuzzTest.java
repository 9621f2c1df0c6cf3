package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the bytes of an ES256 attestation signature: whatever they are, Bouncy Castle's verification
 * (ours) gives the JDK's answer and never throws. The key is fixed, so that the seeds under
 * src/test/resources (a valid signature among them) stay valid; without JAZZER_FUZZ only they run.
 */
class EcdsaVerificationFuzzTest {
    private static final byte[] PAYLOAD = "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"sha256:00\"}}}"
            .getBytes(StandardCharsets.UTF_8);
    private static final BigInteger D = new BigInteger("5a3f0c1e9b7d2468ace13579bdf02468ace13579bdf02468ace13579bdf02468", 16);
    private static final PublicKey PUBLIC = publicKey();

    private static PublicKey publicKey() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
            var q = CustomNamedCurves.getByName("secp256r1").getG().multiply(D).normalize();
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints a fresh valid signature for the seed corpus. */
    public static void main(String[] args) throws Exception {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC")
                .generatePrivate(new ECPrivateKeySpec(D, p.getParameterSpec(ECParameterSpec.class)));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(PAYLOAD);
        System.out.write(s.sign());
        System.out.flush();
    }

    @Test
    void seed_validSignature_verifiesWithBoth() throws Exception {
        byte[] valid;
        try (var in = getClass().getResourceAsStream(
                "EcdsaVerificationFuzzTestInputs/verify_anySignatureBytes_givesTheJdkAnswer/valid")) {
            valid = in.readAllBytes();
        }
        assertThat(PkixAlgorithm.ECDSA_P256_SHA256.verify(PUBLIC, PAYLOAD, valid)).isTrue();
        verify_anySignatureBytes_givesTheJdkAnswer(valid);
    }

    @FuzzTest(maxDuration = "30s")
    void verify_anySignatureBytes_givesTheJdkAnswer(byte[] signature) throws Exception {
        Signature jdk = Signature.getInstance("SHA256withECDSA");
        jdk.initVerify(PUBLIC);
        jdk.update(PAYLOAD);
        boolean expected;
        try {
            expected = jdk.verify(signature);
        } catch (java.security.SignatureException e) {
            expected = false;
        }
        assertThat(PkixAlgorithm.ECDSA_P256_SHA256.verify(PUBLIC, PAYLOAD, signature)).isEqualTo(expected);
    }
}
