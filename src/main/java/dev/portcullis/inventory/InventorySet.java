package dev.portcullis.inventory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One named set as the ACL reads it: the last good snapshot of its source, swapped whole by the
 * refresh (a look-up reads one volatile field and never waits for a refresh), and empty once that
 * snapshot is older than the set's maximum age: fail closed.
 */
public final class InventorySet {
    private final String name;
    private final String source;
    private final long maxAgeMillis;
    private final Clock clock;
    private volatile Snapshot current = new Snapshot(AddressSet.EMPTY, Long.MIN_VALUE);

    /** What the last good refresh fetched and when, in epoch milliseconds ({@code Long.MIN_VALUE}: never). */
    public record Snapshot(AddressSet members, long fetchedAtMillis) {
        /** When it was fetched, or empty if the set was never fetched. */
        public Optional<Instant> fetchedAt() {
            return fetchedAtMillis == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(fetchedAtMillis));
        }
    }

    public InventorySet(String name, String source, Duration maxAge, Clock clock) {
        this.name = name;
        this.source = source;
        this.maxAgeMillis = maxAge.toMillis();
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    /** The kind of source that fills it ({@code file}, {@code http}, {@code gce}, {@code ec2}). */
    public String source() {
        return source;
    }

    public Duration maxAge() {
        return Duration.ofMillis(maxAgeMillis);
    }

    /** Whether the address (4 or 16 bytes) is in the set now; never, once the last good snapshot is too old. */
    public boolean contains(byte[] address) {
        Snapshot s = current;
        return !expired(s) && s.members().contains(address);
    }

    /** The snapshot in force (even an expired one, for status). */
    public Snapshot snapshot() {
        return current;
    }

    /** Whether the set answers no to everything now: never fetched, or its last good snapshot too old. */
    public boolean expired() {
        return expired(current);
    }

    private boolean expired(Snapshot s) {
        return s.fetchedAtMillis() == Long.MIN_VALUE || clock.millis() - s.fetchedAtMillis() > maxAgeMillis;
    }

    /** Replaces the members, fetched at {@code at}. */
    void replace(AddressSet members, Instant at) {
        current = new Snapshot(members, at.toEpochMilli());
    }

    /** The source said nothing changed at {@code at}: the members stay, and are that fresh. */
    void confirm(Instant at) {
        current = new Snapshot(current.members(), at.toEpochMilli());
    }

    @Override
    public String toString() {
        return "InventorySet[" + name + ", " + source + "]";
    }
}
