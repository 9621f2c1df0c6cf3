package dev.portcullis.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes the change feed's entries older than {@code store.change_log_max_age}, as a prefix of the
 * sequence and never the newest entry: a replica whose last applied seq is below the oldest one kept
 * then knows that it missed changes, and reloads what it follows ({@link ChangeFeed#catchUp}).
 */
final class ChangeLogPruner {
    private static final int BATCH = 10_000;

    private ChangeLogPruner() {}

    /** How often a replica prunes: a quarter of the age kept, from every second to every ten minutes. */
    static Duration interval(Duration maxAge) {
        Duration quarter = maxAge.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : quarter.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : quarter;
    }

    /** Deletes every entry up to the newest one written before {@code cutoff}, keeping the newest of all; returns how many went. */
    static int prune(Connection c, Instant cutoff) throws SQLException {
        long through;
        // The newest entry stays whatever its age: an emptied table would hide from a replica that it missed some.
        // By seq, not time alone: writers' clocks differ, and what goes must be a prefix.
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM change_log WHERE changed_at < ? "
                + "AND seq < (SELECT MAX(seq) FROM change_log)")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                through = rs.getLong(1);
            }
        }
        int deleted = 0;
        // Several replicas prune at once harmlessly; in batches, so that a long backlog is no long statement.
        while (through > 0) {
            long oldest = oldest(c);
            if (oldest == 0 || oldest > through) {
                break;
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM change_log WHERE seq <= ?")) {
                del.setLong(1, Math.min(through, oldest + BATCH));
                deleted += del.executeUpdate();
            }
        }
        return deleted;
    }

    /** The oldest seq kept; 0 when the table is empty. */
    static long oldest(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT COALESCE(MIN(seq), 0) FROM change_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
