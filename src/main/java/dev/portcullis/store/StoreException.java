package dev.portcullis.store;

/** The store could not be reached or did not accept a write; callers fail closed. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
