package dev.portcullis.attest;

/** An attestation, payload or key was refused; {@link #reason()} says why in a stable code. */
public final class AttestationRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    public AttestationRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
