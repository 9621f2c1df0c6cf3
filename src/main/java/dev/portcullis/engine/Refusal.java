package dev.portcullis.engine;

/**
 * Why the guard answers a request itself instead of passing it on. The guard speaks HTTP to the
 * engine's clients without a web framework, so the status of each kind is fixed here, once.
 */
public final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The closed set of refusals, each with the status the docker CLI is answered with. */
    public enum Kind {
        MALFORMED(400, "Bad Request"),
        FORBIDDEN(403, "Forbidden"),
        TOO_LARGE(413, "Content Too Large"),
        HEAD_TOO_LARGE(431, "Request Header Fields Too Large"),
        UNAVAILABLE(503, "Service Unavailable"),
        UPSTREAM(502, "Bad Gateway");

        private final int status;
        private final String reason;

        Kind(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        public int status() {
            return status;
        }

        public String reason() {
            return reason;
        }
    }

    private final Kind kind;

    public Refusal(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** A malformed request: the connection cannot be read on after it. */
    static Refusal malformed(String message) {
        return new Refusal(Kind.MALFORMED, message);
    }
}
