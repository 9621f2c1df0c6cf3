package dev.portcullis.inventory;

import java.time.Duration;
import java.util.Optional;

/** A refresh that failed: why, in words without secrets, and whether the source asked us to slow down. */
public final class SourceException extends InventoryException {
    private final boolean throttled;
    private final Duration retryAfter;

    public SourceException(String message, boolean throttled, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.throttled = throttled;
        this.retryAfter = retryAfter;
    }

    public SourceException(String message) {
        this(message, false, null, null);
    }

    /** Whether the source refused for load (HTTP 429, EC2's {@code RequestLimitExceeded}). */
    public boolean throttled() {
        return throttled;
    }

    /** How long the source asked us to wait, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
