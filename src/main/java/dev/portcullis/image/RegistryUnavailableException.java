package dev.portcullis.image;

/** The registry did not answer, or answered 5xx: asking again later may succeed, unlike other {@link RegistryException}s. */
public final class RegistryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message) {
        super(message);
    }
}
