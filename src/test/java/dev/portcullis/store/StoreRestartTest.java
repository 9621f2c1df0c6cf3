package dev.portcullis.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testbed.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes across a restart of a real PostgreSQL: a pooled connection the server closed meanwhile is
 * replaced and the write taken, once; a commit that may have taken effect is never run again.
 */
class StoreRestartTest {
    private static final String KIND = "test.restart";

    @TempDir
    Path dir;

    /** Two connections (Flyway takes two), both held across the restart in the test below. */
    private Database open() {
        return Database.open(Stores.restartable(dir, 2));
    }

    @Test
    void write_pooledConnectionClosedByARestart_isTakenOnANewConnectionOnce() throws Exception {
        try (Database db = open()) {
            ChangeFeed feed = ChangeFeed.open(db, Clock.systemUTC());
            feed.write(KIND, "before", c -> { });
            // Held across the restart, as requests in flight hold them: back in the pool just now, they are
            // handed out again without a check, as the busy pool of a serve hands out its connections.
            Connection held = db.connection();
            Connection alsoHeld = db.connection();
            Stores.restartPostgres();
            held.close();
            alsoHeld.close();
            AtomicInteger runs = new AtomicInteger();

            feed.write(KIND, "after", c -> runs.incrementAndGet());

            assertThat(runs).as("the first try on the closed connection, then one on a new one").hasValue(2);
            assertThat(stored(db, "after")).isEqualTo(1);
            assertThat(feed.catchUp()).isTrue();
        }
    }

    @Test
    void inTransaction_connectionLostAtTheCommit_isNotRunAgain() throws Exception {
        try (Database db = open()) {
            ChangeFeed feed = ChangeFeed.open(db, Clock.systemUTC());
            AtomicInteger runs = new AtomicInteger();

            assertThatThrownBy(() -> db.inTransaction(c -> {
                runs.incrementAndGet();
                feed.append(c, KIND, java.util.List.of("at-the-commit"));
                Stores.restartPostgres();   // the commit goes to a server that is gone: it may or may not have taken
            })).isInstanceOf(UncertainCommitException.class);

            assertThat(runs).hasValue(1);
            assertThat(stored(db, "at-the-commit")).as("rolled back by the restart, and not written again").isZero();
        }
    }

    @Test
    void inTransaction_statementRefused_isNotRunAgain() throws Exception {
        try (Database db = Database.open(StoreSettings.inMemory("refused-" + System.nanoTime()))) {
            AtomicInteger runs = new AtomicInteger();

            assertThatThrownBy(() -> db.inTransaction(c -> {
                runs.incrementAndGet();
                c.createStatement().execute("INSERT INTO no_such_table VALUES (1)");
            })).isInstanceOf(SQLException.class);

            assertThat(runs).hasValue(1);
        }
    }

    // Read again on a failure: right after the restart the pool may hand out connections the server
    // closed (each is dropped when it fails), and reads, unlike writes, are not run again by the store.
    private static int stored(Database db, String key) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return count(db, key);
            } catch (SQLException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static int count(Database db, String key) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM change_log WHERE kind = ? AND change_key = ?")) {
            ps.setString(1, KIND);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
