package dev.portcullis.registryauth;

import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per account, the epoch its refresh tokens must carry at least: revoking them all moves it on. Read
 * from the store once at start; a redeemed refresh token reads memory only, a revocation writes the
 * store first and memory after it.
 */
public final class RefreshEpochs {
    private final Database database;
    private final Map<String, Long> epochs;

    private RefreshEpochs(Database database, Map<String, Long> epochs) {
        this.database = database;
        this.epochs = epochs;
    }

    /** Reads every account's epoch; an account without one is at 0. */
    public static RefreshEpochs load(Database database) {
        Map<String, Long> epochs = new ConcurrentHashMap<>();
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT account, epoch FROM refresh_token_epochs");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                epochs.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the refresh token epochs: " + e.getMessage(), e);
        }
        return new RefreshEpochs(database, epochs);
    }

    /** The account's epoch as this process knows it. */
    public long current(String account) {
        return epochs.getOrDefault(account, 0L);
    }

    /** Moves the account's epoch on in the store, then in memory; returns the new epoch. */
    long bump(String account, Instant now) {
        long epoch = bumpStored(account, now);
        // Two revocations at once each read their own new value; memory keeps the higher, never goes back.
        epochs.merge(account, epoch, Math::max);
        return epoch;
    }

    private long bumpStored(String account, Instant now) {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = database.connection()) {
                c.setAutoCommit(false);
                try {
                    long epoch = bumpIn(c, account, now);
                    c.commit();
                    return epoch;
                } catch (SQLException e) {
                    c.rollback();
                    // Another replica inserted the account's first row at the same time: update it instead.
                    if (attempt == 0 && e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                        continue;
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw new StoreException("cannot revoke the refresh tokens: " + e.getMessage(), e);
            }
        }
    }

    private static long bumpIn(Connection c, String account, Instant now) throws SQLException {
        Timestamp at = Timestamp.from(now);
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE refresh_token_epochs SET epoch = epoch + 1, revoked_at = ? WHERE account = ?")) {
            up.setTimestamp(1, at);
            up.setString(2, account);
            if (up.executeUpdate() == 0) {
                try (PreparedStatement in = c.prepareStatement(
                        "INSERT INTO refresh_token_epochs (account, epoch, revoked_at) VALUES (?, 1, ?)")) {
                    in.setString(1, account);
                    in.setTimestamp(2, at);
                    in.executeUpdate();
                }
            }
        }
        try (PreparedStatement get = c.prepareStatement("SELECT epoch FROM refresh_token_epochs WHERE account = ?")) {
            get.setString(1, account);
            try (ResultSet rs = get.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
