package dev.portcullis.audit;

import dev.portcullis.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The audit log written straight to the store's {@code audit_events} table, for PostgreSQL and
 * in-memory stores. Writers are grouped: one thread commits whatever has queued up in one
 * transaction, and every caller returns once its own event is committed, so thousands of decisions a
 * second cost a few commits, and none is lost on a crash. Rows older than {@code retention.max_age}
 * are deleted hourly by the same thread, a bounded batch a second until none is left, each batch
 * with its own record in the same transaction.
 */
public final class JdbcAuditLog implements AuditLog {
    static final int DELETE_BATCH = 5_000;
    private static final Duration RETENTION_EVERY = Duration.ofHours(1);

    private final Database database;
    private final AuditSettings settings;
    private final Clock clock;
    private final GroupWriter writer;
    private Instant nextRetention = Instant.MIN;   // the writer thread's alone

    /** A log that keeps every row. */
    public JdbcAuditLog(Database database) {
        this(database, AuditSettings.KEEP_ALL, Clock.systemUTC());
    }

    public JdbcAuditLog(Database database, AuditSettings settings, Clock clock) {
        this.database = database;
        this.settings = settings;
        this.clock = clock;
        this.writer = new GroupWriter("audit-writer", clock, this::insert, this::tick, () -> { });
    }

    @Override
    public void record(AuditEvent event) {
        writer.record(List.of(event));
    }

    @Override
    public void recordAll(List<AuditEvent> events) {
        writer.record(events);
    }

    // Once more on a new connection when the store closed this one before the commit (a restart of PostgreSQL).
    private void insert(List<AuditEvent> batch) throws SQLException {
        database.inTransaction(c -> AuditRows.insert(c, batch));
    }

    private void tick() {
        Instant now = clock.instant();
        if (settings.limitsAge() && !now.isBefore(nextRetention)) {
            nextRetention = now.plus(RETENTION_EVERY);   // a failing store is not retried every second
            if (deleteExpired() == DELETE_BATCH) {
                nextRetention = now;   // more to go: the next batch at the next tick
            }
        }
    }

    /**
     * Deletes up to {@link #DELETE_BATCH} rows older than {@code max_age} and records how many, in one
     * transaction; answers how many went.
     */
    int deleteExpired() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(settings.maxAge());
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                int deleted = AuditRows.deleteOlderThan(c, cutoff, DELETE_BATCH);
                if (deleted > 0) {
                    AuditRows.insert(c, List.of(new AuditEvent(now, "audit", "retention", "", "", "audit_events", "delete",
                            "audit.retention.max_age " + SegmentRetention.duration(settings.maxAge()),
                            deleted + " rows older than " + cutoff)));
                }
                c.commit();
                return deleted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new AuditException("cannot delete old audit rows: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> health() {
        return writer.failure();
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        return AuditRows.recent(database, limit);
    }

    @Override
    public void close() {
        writer.close();
    }
}
