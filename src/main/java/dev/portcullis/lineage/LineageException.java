package dev.portcullis.lineage;

/** Lineage refused an input (an envelope, a ban, a reference); the message names what was wrong. */
public final class LineageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LineageException(String message) {
        super(message);
    }
}
