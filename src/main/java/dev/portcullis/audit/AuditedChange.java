package dev.portcullis.audit;

import dev.portcullis.store.StoreException;
import java.util.function.Supplier;

/**
 * An administrative change, written to the audit log before it is made: when the record cannot be
 * written, the change is not made ({@link AuditException}, fail closed), so there is nothing to roll
 * back. When the change itself then fails, a second record with decision {@code error} says that it
 * was not made, and the change's exception is thrown on.
 */
public final class AuditedChange {
    private AuditedChange() {}

    /** Records {@code event} (durably), then makes the change and returns what it returned. */
    public static <T> T apply(AuditLog log, AuditEvent event, Supplier<T> change) {
        log.record(event);
        try {
            return change.get();
        } catch (RuntimeException e) {
            try {
                log.record(new AuditEvent(event.time(), event.capability(), event.action(), event.subject(),
                        event.clientIp(), event.object(), "error", "not applied: " + why(e), event.detail()));
            } catch (AuditException unwritten) {
                e.addSuppressed(unwritten);
            }
            throw e;
        }
    }

    /** Records {@code event}, then makes a change that answers nothing. */
    public static void apply(AuditLog log, AuditEvent event, Runnable change) {
        apply(log, event, () -> {
            change.run();
            return null;
        });
    }

    // A store's message may quote SQL and the values it was given: the log says only that it refused.
    private static String why(RuntimeException e) {
        return e instanceof StoreException ? "the store refused the write" : String.valueOf(e.getMessage());
    }
}
