package dev.portcullis.audit;

import java.util.List;

/** The append-only decision log. {@link #record} returns once the event is durable, or throws. */
public interface AuditLog extends AutoCloseable {

    /** Makes the event durable; throws {@link AuditException} when it cannot, so the caller fails closed. */
    void record(AuditEvent event);

    /** The newest events first, at most {@code limit}. */
    List<AuditEvent> recent(int limit);

    @Override
    void close();
}
