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

    private AuditRows() {}

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
