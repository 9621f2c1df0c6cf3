package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

class LowSEcdsaTest {
    private static final JWSHeader ES384 = new JWSHeader(JWSAlgorithm.ES384);

    @Test
    void signAndVerify_es384_signaturesAreLowSAndTheirHighSTwinsAreRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair kp = g.generateKeyPair();
        BigInteger n = ((ECPublicKey) kp.getPublic()).getParams().getOrder();
        LowSEcdsa.Signer signer = new LowSEcdsa.Signer(new ECDSASigner((ECPrivateKey) kp.getPrivate()), n);
        LowSEcdsa.Verifier verifier = new LowSEcdsa.Verifier(new ECKey.Builder(Curve.P_384, (ECPublicKey) kp.getPublic()).build());
        for (int i = 0; i < 50; i++) {
            byte[] input = ("h.p-" + i).getBytes(StandardCharsets.US_ASCII);
            byte[] rs = signer.sign(ES384, input).decode();
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, 48, 96));
            assertThat(s).isLessThanOrEqualTo(n.shiftRight(1));
            assertThat(verifier.verify(ES384, input, Base64URL.encode(rs))).isTrue();
            byte[] twin = rs.clone();
            BigIntegers.asUnsignedByteArray(n.subtract(s), twin, 48, 48);
            assertThat(verifier.verify(ES384, input, Base64URL.encode(twin))).as("high-S twin %d", i).isFalse();
        }
    }

    @Test
    void verify_signatureOfTheWrongLength_isRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        LowSEcdsa.Verifier verifier = new LowSEcdsa.Verifier(new ECKey.Builder(Curve.P_256, (ECPublicKey) kp.getPublic()).build());
        assertThat(verifier.verify(new JWSHeader(JWSAlgorithm.ES256), new byte[1], Base64URL.encode(new byte[63]))).isFalse();
    }
}
