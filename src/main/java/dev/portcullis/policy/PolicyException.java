package dev.portcullis.policy;

/** A policy that cannot be used as written; the message says which part. */
public final class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }
}
