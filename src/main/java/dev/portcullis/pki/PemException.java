package dev.portcullis.pki;

/** A PEM file is missing, unreadable or holds the wrong thing; the message names the file. */
public final class PemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PemException(String message, Throwable cause) {
        super(message, cause);
    }
}
