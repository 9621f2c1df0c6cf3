package dev.portcullis.attest;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Where the attestation state in force is kept: read whole, replaced whole (by a pure function of the
 * state before), so a reader sees it before a change or after it, never in between.
 */
public interface AttestationStateRef {
    AttestationState get();

    /** Replaces the state with {@code change} applied to it; {@code change} may be called more than once. */
    void update(UnaryOperator<AttestationState> change);

    /** A reference of its own, for an attestation store that is not part of a larger snapshot. */
    static AttestationStateRef standalone() {
        AtomicReference<AttestationState> ref = new AtomicReference<>(AttestationState.EMPTY);
        return new AttestationStateRef() {
            @Override
            public AttestationState get() {
                return ref.get();
            }

            @Override
            public void update(UnaryOperator<AttestationState> change) {
                ref.updateAndGet(change);
            }
        };
    }
}
