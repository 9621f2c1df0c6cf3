package dev.portcullis.attest;

import dev.portcullis.config.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPSecretKeyRing;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/** Signs payloads with an OpenPGP secret key (as {@code gpg --export-secret-keys --armor} writes it), detached or attached, armored. */
public final class PgpSigner {
    private PgpSigner() {}

    public static byte[] sign(String armoredSecretKey, Secret passphrase, byte[] payload, boolean attached) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armoredSecretKey.getBytes(StandardCharsets.US_ASCII)))) {
            PGPSecretKeyRing ring = new BcPGPSecretKeyRing(in);
            PGPSecretKey secret = signingKey(ring);
            PGPPrivateKey key = secret.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                    .build(passphrase.reveal().toCharArray()));
            PGPSignatureGenerator gen = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(secret.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
                    secret.getPublicKey());
            gen.init(PGPSignature.BINARY_DOCUMENT, key);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armored = new ArmoredOutputStream(bytes)) {
                if (!attached) {
                    gen.update(payload);
                    gen.generate().encode(armored);
                } else {
                    BCPGOutputStream bcpg = new BCPGOutputStream(armored);
                    gen.generateOnePassVersion(false).encode(bcpg);
                    PGPLiteralDataGenerator lit = new PGPLiteralDataGenerator();
                    try (OutputStream body = lit.open(bcpg, PGPLiteralData.BINARY, "", payload.length, new Date())) {
                        body.write(payload);
                    }
                    gen.update(payload);
                    gen.generate().encode(bcpg);
                }
            }
            return bytes.toByteArray();
        } catch (IOException | PGPException | RuntimeException e) {
            throw new AttestationRejectedException(Reason.MALFORMED_KEY, "cannot sign with this OpenPGP secret key: " + e.getMessage());
        }
    }

    // The first key of the ring that may sign and holds its secret part (gpg's primary key by default).
    private static PGPSecretKey signingKey(PGPSecretKeyRing ring) {
        for (PGPSecretKey k : ring) {
            if (k.isSigningKey() && !k.isPrivateKeyEmpty()) {
                return k;
            }
        }
        throw new AttestationRejectedException(Reason.MALFORMED_KEY, "the OpenPGP secret key has no signing key");
    }
}
