package dev.portcullis.image;

import java.time.Duration;

/** The registry answered 429 Too Many Requests: ask it again no sooner than {@link #retryAfter()}. */
public final class RegistryThrottledException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Duration retryAfter;

    public RegistryThrottledException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** The registry's Retry-After, or a default when it sent none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
