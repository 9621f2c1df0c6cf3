package dev.portcullis.registryauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stops calling an endpoint that keeps failing: after {@code threshold} failures in a row it opens for
 * {@code coolDown}, failing fast; then one call is let through, and a success closes it again.
 */
final class CircuitBreaker {
    private final int threshold;
    private final Duration coolDown;
    private final Clock clock;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<Instant> openUntil = new AtomicReference<>(Instant.MIN);

    CircuitBreaker(int threshold, Duration coolDown, Clock clock) {
        this.threshold = threshold;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /** Throws while open; the message says for how long. */
    void before(String what) {
        Instant until = openUntil.get();
        Instant now = clock.instant();
        if (now.isBefore(until)) {
            throw new AuthServiceException(what + " is failing; not asked again for "
                    + Math.max(1, Duration.between(now, until).toSeconds()) + " s (circuit open)");
        }
    }

    void success() {
        failures.set(0);
    }

    void failure() {
        if (failures.incrementAndGet() >= threshold) {
            openUntil.set(clock.instant().plus(coolDown));
            failures.set(0);
        }
    }
}
