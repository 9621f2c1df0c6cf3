package dev.portcullis.store;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a replica has applied the change feed: the last seq applied, the newest seq it knows of,
 * when it last caught up with the store, and whether it can reach it now (else {@code problem} says why).
 */
public record FeedStatus(long applied, long newestSeen, Instant lastCatchUp, boolean reachable, String problem) {
    public FeedStatus {
        Objects.requireNonNull(lastCatchUp, "lastCatchUp");
        Objects.requireNonNull(problem, "problem");
    }

    /** How many changes this replica has yet to apply, as far as it knows. */
    public long behind() {
        return Math.max(0, newestSeen - applied);
    }
}
