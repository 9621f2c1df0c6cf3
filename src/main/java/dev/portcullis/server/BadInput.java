package dev.portcullis.server;

/** A request the API cannot use (a missing field, bad base64, a body that is not JSON); answered 400. */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message, null, false, false);
    }
}
