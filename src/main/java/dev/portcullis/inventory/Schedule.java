package dev.portcullis.inventory;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a set is refreshed: every {@code every}, give or take {@code jitter} (a fraction, so replicas
 * and sets spread out); after failures, exponential back-off from one second up to
 * {@code backoffMax}, or longer if the source asked (Retry-After). The last good snapshot counts
 * for {@code maxAge}; at most {@code rateLimit} requests a second (0: none).
 */
public record Schedule(Duration every, double jitter, Duration maxAge, double rateLimit, Duration backoffMax) {
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    public Schedule {
        if (every.isNegative() || every.isZero()) {
            throw new InventoryException("every must be longer than zero");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new InventoryException("jitter must be a fraction from 0 up to (not including) 1");
        }
        if (maxAge.compareTo(every) < 0) {
            throw new InventoryException("max_age must be at least every (" + every + "), or the set expires between refreshes");
        }
        if (rateLimit < 0) {
            throw new InventoryException("rate_limit must be 0 (none) or more requests a second");
        }
        if (backoffMax.compareTo(FIRST_BACKOFF) < 0) {
            throw new InventoryException("backoff_max must be at least 1s");
        }
    }

    /** The wait before the next refresh after {@code failures} failures in a row (0 after a success). */
    public Duration nextDelay(int failures, Optional<Duration> retryAfter, RandomGenerator random) {
        Duration base;
        if (failures == 0) {
            base = every;
        } else {
            int doublings = Math.min(failures - 1, 30);
            Duration backoff = FIRST_BACKOFF.multipliedBy(1L << doublings);
            base = backoff.compareTo(backoffMax) > 0 ? backoffMax : backoff;
        }
        long millis = base.toMillis();
        long spread = (long) (millis * jitter);
        long jittered = spread == 0 ? millis : millis - spread + random.nextLong(2 * spread + 1);
        long asked = retryAfter.map(Duration::toMillis).orElse(0L);
        // What the source asked for is a floor, not jittered below.
        return Duration.ofMillis(Math.max(jittered, asked));
    }
}
