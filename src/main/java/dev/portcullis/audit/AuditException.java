package dev.portcullis.audit;

/** An event could not be written; the decision it records must not take effect. */
public final class AuditException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
