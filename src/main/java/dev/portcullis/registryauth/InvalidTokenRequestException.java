package dev.portcullis.registryauth;

/** The token request itself is malformed (a bad scope, header or parameter): a 400, with what was wrong. */
public final class InvalidTokenRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidTokenRequestException(String message) {
        super(message);
    }
}
