package dev.portcullis.registryauth;

/**
 * An authenticator or authorizer could not reach a decision (a command failed, a directory or an
 * endpoint did not answer). The request is denied with 503 and the reason, never allowed.
 */
public final class AuthServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuthServiceException(String message) {
        super(message);
    }

    public AuthServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
