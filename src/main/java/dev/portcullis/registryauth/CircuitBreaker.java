package dev.portcullis.registryauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops calling an endpoint that keeps failing: after {@code threshold} failures in a row it opens for
 * {@code coolDown}, failing fast; then it is half-open: exactly one trial call is let through while
 * every other call is still refused, until the trial answers. Its success closes the breaker, its
 * failure opens it for another cool-down.
 */
final class CircuitBreaker {
    private enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final Duration coolDown;
    private final Clock clock;
    // Guarded by this: a few fields read and written together, never around I/O.
    private State state = State.CLOSED;
    private int failures;
    private Instant openUntil = Instant.MIN;

    CircuitBreaker(int threshold, Duration coolDown, Clock clock) {
        this.threshold = threshold;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /**
     * Throws while open, and while half-open for every call but the trial; the message says for how
     * long. A caller let through must report {@link #success()} or {@link #failure()}.
     */
    void before(String what) {
        Instant now = clock.instant();
        synchronized (this) {
            switch (state) {
                case CLOSED -> {
                    return;
                }
                case OPEN -> {
                    if (!now.isBefore(openUntil)) {
                        state = State.HALF_OPEN;   // this call is the trial
                        return;
                    }
                }
                case HALF_OPEN -> {
                    throw new AuthServiceException(what + " is failing; one trial call is under way (circuit half-open)");
                }
            }
            throw new AuthServiceException(what + " is failing; not asked again for "
                    + Math.max(1, Duration.between(now, openUntil).toSeconds()) + " s (circuit open)");
        }
    }

    synchronized void success() {
        state = State.CLOSED;
        failures = 0;
    }

    /** Refusing calls now: open, or half-open with its trial under way (or due). */
    synchronized boolean open() {
        return state != State.CLOSED;
    }

    synchronized void failure() {
        if (state == State.HALF_OPEN || ++failures >= threshold) {
            state = State.OPEN;
            openUntil = clock.instant().plus(coolDown);
            failures = 0;
        }
    }
}
