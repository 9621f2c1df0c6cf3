package dev.portcullis.image;

/** A registry could not answer a look-up; the message names the image and the reason. */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }
}
