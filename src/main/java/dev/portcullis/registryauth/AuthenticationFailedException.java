package dev.portcullis.registryauth;

/** The credentials were refused or no authenticator knows the account: a 401. */
public final class AuthenticationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String message) {
        super(message);
    }
}
