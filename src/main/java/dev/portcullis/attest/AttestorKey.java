package dev.portcullis.attest;

import dev.portcullis.pki.Pem;
import dev.portcullis.pki.PemException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/** A public key an attestor trusts: PGP (id = upper-case v4 fingerprint) or PKIX (id = a URI). */
public sealed interface AttestorKey {
    /** The longest key id; the store's column holds 512. */
    int MAX_ID = 512;

    String id();

    /** An ASCII-armored PGP public key. */
    record Pgp(String id, PGPPublicKeyRing ring) implements AttestorKey {
        public Pgp {
            InvalidFieldException.check("id", id, MAX_ID);
        }

        public static Pgp parse(String armored) {
            PGPPublicKeyRing ring = PgpKeys.readRing(armored);
            return new Pgp(PgpKeys.fingerprint(ring.getPublicKey()), ring);
        }

        @Override
        public String toString() {
            return "Pgp[" + id + "]";
        }
    }

    /** A PEM public key with its signature algorithm; the id defaults to {@code ni:///sha-256;...} of the key. */
    record Pkix(String id, PublicKey key, PkixAlgorithm algorithm) implements AttestorKey {
        public Pkix {
            InvalidFieldException.check("id", id, MAX_ID);
            algorithm.checkKey(key);
        }

        public static Pkix parse(String pem, PkixAlgorithm algorithm, String id) {
            PublicKey key;
            try {
                key = Pem.readPublicKey(pem, "public key");
            } catch (PemException e) {
                throw new AttestationRejectedException(Reason.MALFORMED_KEY, e.getMessage());
            }
            return new Pkix(id == null || id.isBlank() ? defaultId(key) : id, key, algorithm);
        }

        /** RFC 6920 named information: {@code ni:///sha-256;} and the unpadded base64url SHA-256 of the DER key. */
        public static String defaultId(PublicKey key) {
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
                return "ni:///sha-256;" + Base64.getUrlEncoder().withoutPadding().encodeToString(h);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
