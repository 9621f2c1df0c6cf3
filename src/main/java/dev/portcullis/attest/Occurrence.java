package dev.portcullis.attest;

import java.util.List;
import java.util.Objects;

/**
 * An attestation as submitted, in Grafeas's shape: the resource, the attestor (note), the exact payload
 * bytes, and either PKIX/PGP signatures by key id or one PGP attached signature.
 *
 * @param pgpSignedAttestation an attached OpenPGP signature holding the payload; empty when signatures are given
 */
public record Occurrence(String resourceUri, String attestor, byte[] serializedPayload, List<Signature> signatures,
                         byte[] pgpSignedAttestation) {
    public Occurrence {
        Objects.requireNonNull(resourceUri, "resourceUri");
        Objects.requireNonNull(attestor, "attestor");
        serializedPayload = serializedPayload == null ? new byte[0] : serializedPayload.clone();
        signatures = List.copyOf(signatures);
        pgpSignedAttestation = pgpSignedAttestation == null ? new byte[0] : pgpSignedAttestation.clone();
        if (signatures.isEmpty() && pgpSignedAttestation.length == 0) {
            throw new AttestationRejectedException(Reason.BAD_SIGNATURE, "the attestation carries no signature");
        }
    }

    /** One signature and the id of the key that made it. */
    public record Signature(String publicKeyId, byte[] signature) {
        public Signature {
            Objects.requireNonNull(publicKeyId, "publicKeyId");
            signature = signature.clone();
        }
    }
}
