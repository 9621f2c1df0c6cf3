package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.junit.jupiter.api.Test;

/** What an OpenPGP refusal says about the key that signed. */
class PgpKeysTest {
    @Test
    void verify_signedByAnotherKeyWhoseIdStartsWithZero_namesAll16HexDigits() throws Exception {
        PGPKeyPair signer = keyPair();
        while ((signer.getKeyID() >>> 60) != 0) {   // one key in 16
            signer = keyPair();
        }
        PGPSignatureGenerator g = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.ECDSA,
                HashAlgorithmTags.SHA256));
        g.init(PGPSignature.BINARY_DOCUMENT, signer.getPrivateKey());
        byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
        g.update(payload);
        byte[] signature = g.generate().getEncoded();
        PGPPublicKeyRing other = new PGPPublicKeyRing(List.of(keyPair().getPublicKey()));
        String id = String.format(Locale.ROOT, "%016X", signer.getKeyID());

        assertThat(id).startsWith("0").hasSize(16);
        assertThatThrownBy(() -> PgpKeys.verify(other, signature, payload)).isInstanceOfSatisfying(AttestationRejectedException.class,
                e -> assertThat(e.getMessage()).startsWith("signed by key " + id + ", which is not "));
    }

    private static PGPKeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return new JcaPGPKeyPair(PublicKeyAlgorithmTags.ECDSA, g.generateKeyPair(), new Date());
    }
}
