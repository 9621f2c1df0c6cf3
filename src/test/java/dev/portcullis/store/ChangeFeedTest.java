package dev.portcullis.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testbed.MutableClock;
import dev.portcullis.testbed.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The change feed as two replicas use it (two feeds on one store), on H2 and on a real PostgreSQL:
 * every change after the last one applied, in order, once; nothing skipped after a failure.
 */
class ChangeFeedTest {
    @TempDir
    Path dir;

    // Kinds of this test run only: on PostgreSQL other tests' changes share the table.
    private final String kind = "test.k" + System.nanoTime();
    private final String other = "test.o" + System.nanoTime();

    private static List<String> keys(List<Change> changes) {
        return changes.stream().map(Change::key).toList();
    }

    /** The keys of the test's kind the reader is handed, in the order it is handed them. */
    private List<String> following(ChangeFeed reader) {
        List<String> seen = new ArrayList<>();
        reader.subscribe(kind, (c, changes) -> seen.addAll(keys(changes)), c -> { });
        return seen;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void catchUp_changesWrittenByAnotherReplica_handsEachAfterTheLastAppliedInOrderOnce(String store) throws Exception {
        try (Database db = Database.open(Stores.settings(store, dir))) {
            ChangeFeed writer = ChangeFeed.open(db, Clock.systemUTC());
            ChangeFeed reader = ChangeFeed.open(db, Clock.systemUTC());
            List<String> seen = following(reader);
            writer.write(kind, "a", c -> { });
            writer.write(kind, "b", c -> { });

            assertThat(reader.catchUp()).isTrue();
            writer.write(kind, "c", c -> { });
            assertThat(reader.catchUp()).isTrue();
            assertThat(reader.catchUp()).isTrue();

            assertThat(seen).containsExactly("a", "b", "c");
            assertThat(reader.status().applied()).isEqualTo(writer.status().applied());
            assertThat(reader.status().behind()).isZero();
            assertThat(reader.status().reachable()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void catchUp_handlerFails_staysBeforeTheFailedChangeAndAppliesItNextTime(String store) throws Exception {
        try (Database db = Database.open(Stores.settings(store, dir))) {
            ChangeFeed writer = ChangeFeed.open(db, Clock.systemUTC());
            ChangeFeed reader = ChangeFeed.open(db, Clock.systemUTC());
            AtomicBoolean broken = new AtomicBoolean(true);
            List<String> seen = following(reader);
            reader.subscribe(other, (c, changes) -> {
                if (broken.get()) {
                    throw new SQLException("the row cannot be read now");
                }
                seen.addAll(keys(changes));
            }, c -> { });
            writer.write(kind, "first", c -> { });
            writer.write(other, "second", c -> { });
            writer.write(kind, "third", c -> { });

            assertThat(reader.catchUp()).isFalse();
            assertThat(seen).containsExactly("first");
            assertThat(reader.status().reachable()).isFalse();
            assertThat(reader.status().behind()).isEqualTo(2);

            broken.set(false);
            assertThat(reader.catchUp()).isTrue();
            assertThat(seen).containsExactly("first", "second", "third");
            assertThat(reader.status().reachable()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void write_rolledBackOrOfAKindNobodyFollows_isSteppedOverAndTheNextChangeStillArrives(String store) throws Exception {
        try (Database db = Database.open(Stores.settings(store, dir))) {
            ChangeFeed writer = ChangeFeed.open(db, Clock.systemUTC());
            ChangeFeed reader = ChangeFeed.open(db, Clock.systemUTC());
            List<String> seen = following(reader);
            writer.write(kind, "before", c -> { });
            assertThatThrownBy(() -> writer.write(kind, "rolled-back", c -> {
                throw new SQLException("the data change failed");
            })).hasMessageContaining("the data change failed");
            writer.write(other, "a newer replica's kind", c -> { });
            writer.write(kind, "kept", c -> { });

            assertThat(reader.catchUp()).isTrue();

            assertThat(seen).containsExactly("before", "kept");
            assertThat(reader.status().behind()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void append_outsideTheTransactionOfTheChange_isRefused(String store) throws Exception {
        try (Database db = Database.open(Stores.settings(store, dir)); Connection c = db.connection()) {
            ChangeFeed feed = ChangeFeed.open(db, Clock.systemUTC());
            assertThatThrownBy(() -> feed.append(c, kind, List.of("x"))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> feed.subscribe("Not A Kind", (cc, ch) -> { }, cc -> { })).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void prune_entriesOlderThanTheMaxAge_goAndTheNewestStaysWhateverItsAge(String store) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
        try (Database db = Database.open(Stores.isolated(store, dir))) {
            ChangeFeed feed = ChangeFeed.open(db, clock);
            feed.write(kind, "old-1", c -> { });
            feed.write(kind, "old-2", c -> { });
            clock.advance(Duration.ofHours(23));
            feed.write(kind, "recent", c -> { });
            clock.advance(Duration.ofHours(2));

            assertThat(feed.prune()).isEqualTo(2);
            assertThat(storedKeys(db)).containsExactly("recent");

            clock.advance(Duration.ofDays(30));
            assertThat(feed.prune()).isZero();
            assertThat(storedKeys(db)).containsExactly("recent");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void catchUp_changesMissedWerePruned_reloadsOnceForAllItsKindsThenFollowsAgain(String store) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
        try (Database db = Database.open(Stores.isolated(store, dir))) {
            ChangeFeed writer = ChangeFeed.open(db, clock);
            ChangeFeed reader = ChangeFeed.open(db, clock);
            List<String> seen = new ArrayList<>();
            AtomicInteger reloads = new AtomicInteger();
            StateReload reload = c -> reloads.incrementAndGet();
            reader.subscribe(kind, (c, changes) -> seen.addAll(keys(changes)), reload);
            reader.subscribe(other, (c, changes) -> seen.addAll(keys(changes)), reload);
            writer.write(kind, "missed-1", c -> { });
            writer.write(other, "missed-2", c -> { });
            clock.advance(Duration.ofDays(2));
            writer.write(kind, "after-the-horizon", c -> { });
            assertThat(writer.prune()).isEqualTo(2);

            assertThat(reader.catchUp()).isTrue();
            assertThat(reloads).hasValue(1);
            assertThat(seen).as("the reload read it; the feed goes on after it").isEmpty();
            assertThat(reader.status().applied()).isEqualTo(writer.status().applied());

            writer.write(other, "next", c -> { });
            assertThat(reader.catchUp()).isTrue();
            assertThat(seen).containsExactly("next");
            assertThat(reloads).hasValue(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void catchUp_prunedOnlyChangesItHadApplied_followsWithoutReloading(String store) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
        try (Database db = Database.open(Stores.isolated(store, dir))) {
            ChangeFeed writer = ChangeFeed.open(db, clock);
            ChangeFeed reader = ChangeFeed.open(db, clock);
            AtomicInteger reloads = new AtomicInteger();
            List<String> seen = new ArrayList<>();
            reader.subscribe(kind, (c, changes) -> seen.addAll(keys(changes)), c -> reloads.incrementAndGet());
            writer.write(kind, "applied", c -> { });
            assertThat(reader.catchUp()).isTrue();
            clock.advance(Duration.ofDays(2));
            writer.write(kind, "new", c -> { });
            assertThat(writer.prune()).isEqualTo(1);

            assertThat(reader.catchUp()).isTrue();
            assertThat(reloads).hasValue(0);
            assertThat(seen).containsExactly("applied", "new");
        }
    }

    private static List<String> storedKeys(Database db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); ResultSet rs = c.createStatement().executeQuery("SELECT change_key FROM change_log ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
