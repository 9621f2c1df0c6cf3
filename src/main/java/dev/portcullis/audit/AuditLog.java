package dev.portcullis.audit;

import java.util.List;

/** The append-only decision log. {@link #record} returns once the event is durable, or throws. */
public interface AuditLog extends AutoCloseable {

    /** Makes the event durable; throws {@link AuditException} when it cannot, so the caller fails closed. */
    void record(AuditEvent event);

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
