package dev.portcullis.store;

import java.time.Instant;
import java.util.Objects;

/** One entry of the change feed: its place in the order of changes, what changed (kind and key) and when. */
public record Change(long seq, String kind, String key, Instant at) {
    public Change {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
    }
}
