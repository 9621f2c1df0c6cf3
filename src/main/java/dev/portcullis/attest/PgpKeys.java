package dev.portcullis.attest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.bc.BcPGPPublicKeyRing;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * OpenPGP with Bouncy Castle's lightweight API (no JCA provider to register): reading public keys and
 * verifying detached signatures and attached (signed-message) signatures such as gpg --sign and
 * skopeo standalone-sign make.
 */
final class PgpKeys {
    private static final int MAX_BYTES = 1024 * 1024;

    private PgpKeys() {}

    /** The outcome of a good signature: the signed bytes and the fingerprint of the primary key. */
    record Verified(byte[] payload, String fingerprint) {}

    static PGPPublicKeyRing readRing(String armored) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
            return new BcPGPPublicKeyRing(in);
        } catch (IOException | RuntimeException e) {
            throw new AttestationRejectedException(Reason.MALFORMED_KEY, "not an OpenPGP public key: " + e.getMessage());
        }
    }

    static String fingerprint(PGPPublicKey key) {
        return HexFormat.of().formatHex(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /**
     * Verifies {@code signature} made by a key of {@code ring}: detached over {@code detachedPayload},
     * or, when that is null, an attached signature whose literal data is returned as the payload.
     */
    static Verified verify(PGPPublicKeyRing ring, byte[] signature, byte[] detachedPayload) {
        if (signature.length > MAX_BYTES) {
            throw new AttestationRejectedException(Reason.BAD_SIGNATURE, "signature larger than 1 MiB");
        }
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
            BcPGPObjectFactory f = new BcPGPObjectFactory(in);
            Object o = f.nextObject();
            if (o instanceof PGPCompressedData c) {
                f = new BcPGPObjectFactory(c.getDataStream());
                o = f.nextObject();
            }
            if (o instanceof PGPSignatureList list) {
                if (detachedPayload == null) {
                    throw new AttestationRejectedException(Reason.BAD_SIGNATURE, "a detached signature needs the payload");
                }
                PGPSignature sig = list.get(0);
                sig.init(new BcPGPContentVerifierBuilderProvider(), keyFor(ring, sig.getKeyID()));
                sig.update(detachedPayload);
                return check(sig.verify(), detachedPayload, ring);
            }
            if (o instanceof PGPOnePassSignatureList ops) {
                PGPOnePassSignature one = ops.get(0);
                one.init(new BcPGPContentVerifierBuilderProvider(), keyFor(ring, one.getKeyID()));
                if (!(f.nextObject() instanceof PGPLiteralData literal)) {
                    throw new AttestationRejectedException(Reason.BAD_SIGNATURE, "signed message without literal data");
                }
                byte[] payload = readAll(literal.getInputStream());
                one.update(payload);
                if (!(f.nextObject() instanceof PGPSignatureList sigs) || sigs.isEmpty()) {
                    throw new AttestationRejectedException(Reason.BAD_SIGNATURE, "signed message without its signature");
                }
                if (detachedPayload != null && !java.util.Arrays.equals(detachedPayload, payload)) {
                    throw new AttestationRejectedException(Reason.BAD_SIGNATURE, "the signed message holds another payload");
                }
                return check(one.verify(sigs.get(0)), payload, ring);
            }
            throw new AttestationRejectedException(Reason.BAD_SIGNATURE, "not an OpenPGP signature");
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof AttestationRejectedException r) {
                throw r;
            }
            throw new AttestationRejectedException(Reason.BAD_SIGNATURE, "not a readable OpenPGP signature: " + e.getMessage());
        }
    }

    private static Verified check(boolean ok, byte[] payload, PGPPublicKeyRing ring) {
        if (!ok) {
            throw new AttestationRejectedException(Reason.BAD_SIGNATURE, "the OpenPGP signature does not verify");
        }
        return new Verified(payload, fingerprint(ring.getPublicKey()));
    }

    private static PGPPublicKey keyFor(PGPPublicKeyRing ring, long keyId) {
        PGPPublicKey key = ring.getPublicKey(keyId);
        if (key == null) {
            throw new AttestationRejectedException(Reason.UNKNOWN_KEY, "signed by key " + String.format(Locale.ROOT, "%016X", keyId)
                    + ", which is not " + fingerprint(ring.getPublicKey()) + " or one of its subkeys");
        }
        return key;
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > MAX_BYTES) {
                throw new AttestationRejectedException(Reason.MALFORMED_PAYLOAD, "signed payload larger than 1 MiB");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

}
