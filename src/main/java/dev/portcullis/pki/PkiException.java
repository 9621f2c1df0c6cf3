package dev.portcullis.pki;

/** A CA operation that cannot be done (a missing CA, a name the CA may not certify); the message says why. */
public final class PkiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
