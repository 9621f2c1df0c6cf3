package dev.portcullis.policy;

import dev.portcullis.attest.AttestationState;
import dev.portcullis.attest.AttestationStateRef;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The one {@link DecisionSnapshot} in force, swapped atomically: a decision reads it once and holds
 * a consistent view (never a new policy with old YAML, nor half of a change) without locks or I/O.
 * Before the store is loaded it denies everything.
 */
public final class DecisionState {
    private final AtomicReference<DecisionSnapshot> current = new AtomicReference<>(
            new DecisionSnapshot(PolicyState.parse(PolicyStore.DEFAULT_YAML, "default policy"), AttestationState.EMPTY));

    public DecisionSnapshot current() {
        return current.get();
    }

    void setPolicy(PolicyState policy) {
        current.updateAndGet(s -> s.withPolicy(policy));
    }

    /** The attestation part, for the attestation store to load and change. */
    public AttestationStateRef attestations() {
        return new AttestationStateRef() {
            @Override
            public AttestationState get() {
                return current.get().attestations();
            }

            @Override
            public void update(UnaryOperator<AttestationState> change) {
                current.updateAndGet(s -> s.withAttestations(change.apply(s.attestations())));
            }
        };
    }
}
