package dev.portcullis.policy;

import dev.portcullis.attest.AttestationState;
import java.util.Objects;

/**
 * Everything an admission decision reads, immutable and taken whole: the policy with its YAML, the
 * attestors and their keys, the revocations and the attestation index.
 */
public record DecisionSnapshot(PolicyState policy, AttestationState attestations) {
    public DecisionSnapshot {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(attestations, "attestations");
    }

    DecisionSnapshot withPolicy(PolicyState p) {
        return new DecisionSnapshot(p, attestations);
    }

    DecisionSnapshot withAttestations(AttestationState a) {
        return a == attestations ? this : new DecisionSnapshot(policy, a);
    }
}
