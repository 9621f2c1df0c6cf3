package dev.portcullis.registryauth;

import dev.portcullis.store.Change;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per account, the epoch its refresh tokens must carry at least: revoking them all moves it on. Read
 * from the store at start and kept by the change feed (kind {@value #CHANGE}, keyed by account), so a
 * revocation through any replica is in force on every other within a second; a redeemed refresh token
 * reads memory only, a revocation writes the store first and memory after it.
 */
public final class RefreshEpochs {
    /** The feed's kind for an account whose epoch moved on; the change key is the account. */
    static final String CHANGE = "registryauth.epoch";

    private final ChangeFeed feed;
    private final Map<String, Long> epochs = new ConcurrentHashMap<>();

    private RefreshEpochs(ChangeFeed feed) {
        this.feed = feed;
    }

    /** Reads every account's epoch, with a change feed of its own (one process, nothing else to follow). */
    public static RefreshEpochs load(Database database) {
        return load(database, ChangeFeed.open(database, Clock.systemUTC()));
    }

    /** Reads every account's epoch (an account without one is at 0) and follows {@code feed}; open the feed before this. */
    public static RefreshEpochs load(Database database, ChangeFeed feed) {
        RefreshEpochs e = new RefreshEpochs(feed);
        feed.subscribe(CHANGE, e::apply, e::readAll);
        try (Connection c = database.connection()) {
            e.readAll(c);
        } catch (SQLException ex) {
            throw new StoreException("cannot read the refresh token epochs: " + ex.getMessage(), ex);
        }
        return e;
    }

    /** The account's epoch as this process knows it. */
    public long current(String account) {
        return epochs.getOrDefault(account, 0L);
    }

    /** Moves the account's epoch on in the store, then in memory; returns the new epoch. */
    long bump(String account, Instant now) {
        long epoch = bumpStored(account, now);
        // Two revocations at once each read their own new value; memory keeps the higher, never goes back.
        raise(account, epoch);
        return epoch;
    }

    // An epoch only ever moves on: a change applied twice, or after a newer one, leaves the higher.
    private void raise(String account, long epoch) {
        epochs.merge(account, epoch, Math::max);
    }

    private void apply(Connection c, List<Change> changes) throws SQLException {
        try (PreparedStatement get = c.prepareStatement("SELECT epoch FROM refresh_token_epochs WHERE account = ?")) {
            for (Change ch : changes) {
                get.setString(1, ch.key());
                try (ResultSet rs = get.executeQuery()) {
                    if (rs.next()) {
                        raise(ch.key(), rs.getLong(1));
                    }
                }
            }
        }
    }

    private void readAll(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT account, epoch FROM refresh_token_epochs");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                raise(rs.getString(1), rs.getLong(2));
            }
        }
    }

    private long bumpStored(String account, Instant now) {
        long[] epoch = new long[1];
        for (int attempt = 0; ; attempt++) {
            try {
                // The change goes to the feed in the same transaction: every replica reloads the account's epoch.
                feed.write(CHANGE, account, c -> epoch[0] = bumpIn(c, account, now));
                return epoch[0];
            } catch (SQLException e) {
                // Another replica inserted the account's first row at the same time: update it instead.
                if (attempt == 0 && e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    continue;
                }
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
