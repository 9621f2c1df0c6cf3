package dev.portcullis.registryauth;

import java.time.Duration;

/** Too many failed logins for this account from this address, or from this address: a 429 with {@code Retry-After}. */
public final class TooManyAttemptsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Duration retryAfter;
    private final String rule;

    public TooManyAttemptsException(Duration retryAfter, String rule) {
        super("too many failed logins; retry after " + Math.max(1, retryAfter.toSeconds()) + " s");
        this.retryAfter = retryAfter;
        this.rule = rule;
    }

    /** The limit that refused, for the audit log. */
    public String rule() {
        return rule;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
