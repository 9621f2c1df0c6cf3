package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Es256SignerTest {
    private static final JWSHeader ES256 = new JWSHeader(JWSAlgorithm.ES256);

    private static KeyPair keyPair(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    @Test
    void sign_manyInputs_everySignatureVerifiesWithTheJdk() throws Exception {
        KeyPair kp = keyPair("secp256r1");
        Es256Signer signer = new Es256Signer((ECPrivateKey) kp.getPrivate());
        ECDSAVerifier verifier = new ECDSAVerifier((ECPublicKey) kp.getPublic());
        // 1,000 signatures: about eight of them have an R or S shorter than 32 bytes, which must be padded.
        for (int i = 0; i < 1_000; i++) {
            byte[] input = ("header.payload-" + i).getBytes(StandardCharsets.US_ASCII);
            Base64URL sig = signer.sign(ES256, input);
            assertThat(sig.decode()).hasSize(64);
            assertThat(verifier.verify(ES256, input, sig)).as("signature %d", i).isTrue();
        }
    }

    @Test
    void sign_manyInputs_sIsAlwaysInTheLowerHalfOfTheOrder() throws Exception {
        KeyPair kp = keyPair("secp256r1");
        Es256Signer signer = new Es256Signer((ECPrivateKey) kp.getPrivate());
        BigInteger half = ((ECPublicKey) kp.getPublic()).getParams().getOrder().shiftRight(1);
        // Without normalising, half of all signatures have a high S: 200 would all be low by chance 2^-200.
        for (int i = 0; i < 200; i++) {
            byte[] sig = signer.sign(ES256, ("h.p-" + i).getBytes(StandardCharsets.US_ASCII)).decode();
            assertThat(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64))).as("signature %d", i).isLessThanOrEqualTo(half);
        }
    }

    @Test
    void sign_sameInput_sameSignatureBecauseTheNonceIsDeterministic() throws Exception {
        KeyPair kp = keyPair("secp256r1");
        Es256Signer signer = new Es256Signer((ECPrivateKey) kp.getPrivate());
        byte[] input = "a.b".getBytes(StandardCharsets.US_ASCII);
        assertThat(signer.sign(ES256, input)).isEqualTo(signer.sign(ES256, input));
        assertThat(signer.sign(ES256, "a.c".getBytes(StandardCharsets.US_ASCII))).isNotEqualTo(signer.sign(ES256, input));
    }

    @Test
    void sign_rfc6979VectorForP256AndSha256_givesTheRfcsSignatureWithLowS() throws Exception {
        // RFC 6979 appendix A.2.5: P-256, SHA-256, message "sample". The nonce comes from HMAC-SHA-256 over
        // the key and the message hash, so the signature is the RFC's, S replaced by n - S when high.
        java.security.spec.ECParameterSpec p256 = ((ECPublicKey) keyPair("secp256r1").getPublic()).getParams();
        BigInteger x = new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16);
        ECPrivateKey key = (ECPrivateKey) java.security.KeyFactory.getInstance("EC")
                .generatePrivate(new java.security.spec.ECPrivateKeySpec(x, p256));
        byte[] sig = new Es256Signer(key).sign(ES256, "sample".getBytes(StandardCharsets.US_ASCII)).decode();
        BigInteger s = new BigInteger("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8", 16);
        BigInteger n = p256.getOrder();
        assertThat(new BigInteger(1, Arrays.copyOfRange(sig, 0, 32)))
                .isEqualTo(new BigInteger("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716", 16));
        assertThat(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64))).isEqualTo(s.min(n.subtract(s)));
    }

    @Test
    void sign_verifiedByTheJdkSignatureApiInP1363Form() throws Exception {
        KeyPair kp = keyPair("secp256r1");
        byte[] input = "x.y".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = new Es256Signer((ECPrivateKey) kp.getPrivate()).sign(ES256, input).decode();
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
        jdk.initVerify(kp.getPublic());
        jdk.update(input);
        assertThat(jdk.verify(sig)).isTrue();
    }

    @Test
    void constructor_p384Key_isRefused() throws Exception {
        assertThatThrownBy(() -> new Es256Signer((ECPrivateKey) keyPair("secp384r1").getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
    }

    @Test
    void sign_headerAskingForAnotherAlgorithm_isRefused() throws Exception {
        Es256Signer signer = new Es256Signer((ECPrivateKey) keyPair("secp256r1").getPrivate());
        assertThatThrownBy(() -> signer.sign(new JWSHeader(JWSAlgorithm.ES384), new byte[1]))
                .isInstanceOf(JOSEException.class).hasMessageContaining("ES384");
    }
}
