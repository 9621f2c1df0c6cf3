package dev.portcullis.audit;

import dev.portcullis.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The audit log in the store's {@code audit_events} table. Writers are grouped: one thread commits
 * whatever has queued up in one transaction, and every caller returns once its own event is
 * committed, so thousands of decisions a second cost a few commits, and none is lost on a crash.
 */
public final class JdbcAuditLog implements AuditLog {
    private static final int BATCH = 512;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String INSERT = "INSERT INTO audit_events (event_time, capability, action, subject, "
            + "client_ip, object, decision, rule, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private record Pending(AuditEvent event, CompletableFuture<Void> done) {}

    private final Database database;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(16_384);
    private final Thread writer;
    private volatile boolean closed;

    public JdbcAuditLog(Database database) {
        this.database = database;
        this.writer = Thread.ofPlatform().name("audit-writer").daemon().start(this::drain);
    }

    @Override
    public void record(AuditEvent event) {
        if (closed) {
            throw new AuditException("the audit log is closed", null);
        }
        Pending p = new Pending(event, new CompletableFuture<>());
        try {
            if (!queue.offer(p, WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AuditException("the audit log is not keeping up", null);
            }
            p.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while writing the audit log", e);
        } catch (ExecutionException e) {
            throw new AuditException("cannot write the audit log: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AuditException("the audit log did not answer within " + WAIT.toSeconds() + " s", e);
        }
    }

    private void drain() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
                batch.forEach(p -> p.done().complete(null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            batch.clear();
        }
    }

    private void write(List<Pending> batch) throws SQLException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (Pending p : batch) {
                    AuditEvent e = p.event();
                    ps.setTimestamp(1, Timestamp.from(e.time()));
                    ps.setString(2, e.capability());
                    ps.setString(3, e.action());
                    ps.setString(4, e.subject());
                    ps.setString(5, e.clientIp());
                    ps.setString(6, e.object());
                    ps.setString(7, e.decision());
                    ps.setString(8, e.rule());
                    ps.setString(9, e.detail());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        String sql = "SELECT event_time, capability, action, subject, client_ip, object, decision, rule, detail "
                + "FROM audit_events ORDER BY id DESC LIMIT ?";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, Math.max(1, Math.min(limit, 10_000)));
            List<AuditEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEvent(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AuditException("cannot read the audit log: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
