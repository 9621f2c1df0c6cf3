package dev.portcullis.admin;

/** An admin token request that cannot be done: a bad name, a name taken, or no such token. */
public final class AdminTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why, for the status the API answers. */
    public enum Kind { INVALID, EXISTS, UNKNOWN }

    private final Kind kind;

    AdminTokenException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
