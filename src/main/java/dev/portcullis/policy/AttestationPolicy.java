package dev.portcullis.policy;

import dev.portcullis.attest.AttestationStore;
import dev.portcullis.platform.BackgroundWork;
import dev.portcullis.platform.Contribution;
import dev.portcullis.platform.Module;
import java.util.List;

/**
 * The running attestation and policy capability: attestors, keys and attestations, the policy that
 * reads them, and its background work (retention of unasked attestations, when it is on).
 */
public record AttestationPolicy(AttestationStore attestations, PolicyService policy, List<BackgroundWork> background)
        implements Module {
    public AttestationPolicy {
        background = List.copyOf(background);
    }

    @Override
    public <T> List<T> contributions(Contribution<T> kind) {
        // The capabilities after it (admission) decide through the same service, audited the same way.
        return kind.equals(PolicyService.CONTRIBUTION) ? List.of(kind.type().cast(policy)) : List.of();
    }
}
