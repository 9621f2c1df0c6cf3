package dev.portcullis.attest;

/**
 * Checks one signature over a payload for one artifact: the signature must verify with the key over
 * the exact payload bytes, and the payload must name the artifact's digest. Works offline.
 */
public final class SignatureVerifier {
    private SignatureVerifier() {}

    /** Verifies a PKIX signature; returns the parsed payload or throws with the reason. */
    public static SignaturePayload verifyPkix(ArtifactUrl artifact, byte[] payload, byte[] signature, AttestorKey.Pkix key) {
        if (!key.algorithm().verify(key.key(), payload, signature)) {
            throw new AttestationRejectedException(Reason.BAD_SIGNATURE, "the signature does not verify with key " + key.id());
        }
        return matching(artifact, SignaturePayload.parse(payload));
    }

    /**
     * Verifies a PGP signature: detached over {@code payload}, or attached (then {@code payload} may be
     * null and the signed message's content is the payload).
     */
    public static SignaturePayload verifyPgp(ArtifactUrl artifact, byte[] payload, byte[] signature, AttestorKey.Pgp key) {
        PgpKeys.Verified v = PgpKeys.verify(key.ring(), signature, payload);
        return matching(artifact, SignaturePayload.parse(v.payload()));
    }

    private static SignaturePayload matching(ArtifactUrl artifact, SignaturePayload p) {
        if (!p.manifestDigest().equals(artifact.digest())) {
            throw new AttestationRejectedException(Reason.DIGEST_MISMATCH, "the payload vouches for " + p.manifestDigest()
                    + ", not " + artifact.digest());
        }
        return p;
    }
}
