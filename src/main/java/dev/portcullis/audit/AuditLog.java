package dev.portcullis.audit;

import java.util.List;
import java.util.Optional;

/** The append-only decision log. {@link #record} returns once the event is durable, or throws. */
public interface AuditLog extends AutoCloseable {

    /** Makes the event durable; throws {@link AuditException} when it cannot, so the caller fails closed. */
    void record(AuditEvent event);

    /**
     * Records a denial that an unauthenticated client can repeat at will (a failed login, a throttled
     * one): a log may fold the repeats of one {@code source} (a client address) and rule within a
     * window into one record with a count. Throws like {@link #record} when the log cannot be written.
     */
    default void recordRepeated(String source, AuditEvent denial) {
        record(denial);
    }

    /** Why the log cannot take events now (its last append failed), or empty when it can. */
    default Optional<String> health() {
        return Optional.empty();
    }

    /**
     * Makes every event durable together, in order, or none of them is reported written (throws
     * {@link AuditException}); the logs of this package write them with one append.
     */
    default void recordAll(List<AuditEvent> events) {
        events.forEach(this::record);
    }

    /** The newest events first, at most {@code limit}. */
    List<AuditEvent> recent(int limit);

    @Override
    void close();
}
