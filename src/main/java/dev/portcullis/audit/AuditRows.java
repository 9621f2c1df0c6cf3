package dev.portcullis.audit;

import dev.portcullis.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** The {@code audit_events} table: inserting events in one statement batch, reading the newest. */
final class AuditRows {
    private static final String INSERT = "INSERT INTO audit_events (event_time, capability, action, subject, "
            + "client_ip, object, decision, rule, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String RECENT = "SELECT event_time, capability, action, subject, client_ip, object, "
            + "decision, rule, detail FROM audit_events ORDER BY id DESC LIMIT ?";

    // A bounded batch as a range of the primary key: the oldest rows' ids are the smallest, so both
    // statements walk the key index from its start and stop at the limit, on PostgreSQL and H2 alike,
    // and each batch is a short transaction that holds few row locks.
    private static final String LAST_OLD_ID = "SELECT MAX(id) FROM (SELECT id FROM audit_events WHERE event_time < ? "
            + "ORDER BY id LIMIT ?) oldest";
    private static final String DELETE_OLD = "DELETE FROM audit_events WHERE id <= ? AND event_time < ?";

    private AuditRows() {}

    /** Deletes at most {@code limit} of the oldest rows whose time is before {@code cutoff}, in the connection's transaction. */
    static int deleteOlderThan(Connection c, java.time.Instant cutoff, int limit) throws SQLException {
        long lastId;
        try (PreparedStatement ps = c.prepareStatement(LAST_OLD_ID)) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                lastId = rs.getLong(1);
                if (rs.wasNull()) {
                    return 0;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(DELETE_OLD)) {
            ps.setLong(1, lastId);
            ps.setTimestamp(2, Timestamp.from(cutoff));
            return ps.executeUpdate();
        }
    }

    /** Adds the events, in order, to the connection's current transaction. */
    static void insert(Connection c, List<AuditEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (AuditEvent e : events) {
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
        }
    }

    /** The newest events first, at most {@code limit} (clamped to 1..10,000). */
    static List<AuditEvent> recent(Database database, int limit) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(RECENT)) {
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
}
