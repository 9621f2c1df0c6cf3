package dev.portcullis.lint;

/** The Dockerfile cannot be parsed; reported as finding DL1000 at its position. */
public final class DockerfileSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Position position;

    public DockerfileSyntaxException(Position position, String message) {
        super(message);
        this.position = position;
    }

    public Position position() {
        return position;
    }
}
