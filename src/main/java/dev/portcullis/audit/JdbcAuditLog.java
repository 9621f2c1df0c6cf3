package dev.portcullis.audit;

import dev.portcullis.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The audit log written straight to the store's {@code audit_events} table, for PostgreSQL and
 * in-memory stores. Writers are grouped: one thread commits whatever has queued up in one
 * transaction, and every caller returns once its own event is committed, so thousands of decisions a
 * second cost a few commits, and none is lost on a crash.
 */
public final class JdbcAuditLog implements AuditLog {
    private final Database database;
    private final GroupWriter writer;

    public JdbcAuditLog(Database database) {
        this.database = database;
        this.writer = new GroupWriter("audit-writer", this::write, () -> { });
    }

    @Override
    public void record(AuditEvent event) {
        writer.record(List.of(event));
    }

    @Override
    public void recordAll(List<AuditEvent> events) {
        writer.record(events);
    }

    private void write(List<AuditEvent> batch) throws SQLException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                AuditRows.insert(c, batch);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
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
