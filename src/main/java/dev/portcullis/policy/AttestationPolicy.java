package dev.portcullis.policy;

import dev.portcullis.attest.AttestationStore;
import dev.portcullis.platform.Contribution;
import dev.portcullis.platform.Module;
import java.util.List;

/** The running attestation and policy capability: attestors, keys and attestations, and the policy that reads them. */
public record AttestationPolicy(AttestationStore attestations, PolicyService policy) implements Module {
    @Override
    public <T> List<T> contributions(Contribution<T> kind) {
        // The capabilities after it (admission) decide through the same service, audited the same way.
        return kind.equals(PolicyService.CONTRIBUTION) ? List.of(kind.type().cast(policy)) : List.of();
    }
}
