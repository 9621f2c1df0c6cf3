package dev.portcullis.attest;

import java.time.Instant;
import java.util.Objects;

/** An attestation whose signature was checked on arrival: which attestor vouched, with which key, for what. */
public record VerifiedAttestation(String attestor, String keyId, ArtifactUrl artifact, Instant createdAt) {
    public VerifiedAttestation {
        Objects.requireNonNull(attestor, "attestor");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
