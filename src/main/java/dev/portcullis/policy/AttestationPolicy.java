package dev.portcullis.policy;

import dev.portcullis.attest.AttestationStore;
import dev.portcullis.platform.Module;

/** The running attestation and policy capability: attestors, keys and attestations, and the policy that reads them. */
public record AttestationPolicy(AttestationStore attestations, PolicyService policy) implements Module {}
