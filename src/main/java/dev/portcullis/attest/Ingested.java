package dev.portcullis.attest;

/**
 * What submitting an attestation did: the stored attestation (its first signature that verified) and
 * whether this submission stored it, or found it stored already (the same attestor, key and content).
 */
public record Ingested(VerifiedAttestation attestation, boolean created) {}
