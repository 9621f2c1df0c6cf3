package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.testbed.MutableClock;
import dev.portcullis.testbed.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The refresh token epochs in the store (migration V16_1), on H2 and on PostgreSQL. */
class RefreshEpochsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path dir;

    // PostgreSQL keeps its tables from one test to the next: every test takes an account of its own.
    private static String account() {
        return "acct-" + System.nanoTime();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void bump_newAccount_startsAtOneAndIsReadAtTheNextStart(String kind) {
        String account = account();
        try (Database db = Database.open(Stores.settings(kind, dir))) {
            RefreshEpochs epochs = RefreshEpochs.load(db);
            assertThat(epochs.current(account)).isZero();
            assertThat(epochs.bump(account, NOW)).isEqualTo(1);
            assertThat(epochs.bump(account, NOW)).isEqualTo(2);
            assertThat(epochs.current(account)).isEqualTo(2);
        }
        try (Database db = Database.open(Stores.settings(kind, dir))) {
            assertThat(RefreshEpochs.load(db).current(account)).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void bump_twoReplicasAtOnceOnANewAccount_everyBumpCountsOnce(String kind) throws Exception {
        String account = account();
        try (Database db = Database.open(Stores.settings(kind, dir))) {
            List<RefreshEpochs> replicas = List.of(RefreshEpochs.load(db), RefreshEpochs.load(db));
            List<Callable<Long>> bumps = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RefreshEpochs r = replicas.get(i % 2);
                bumps.add(() -> r.bump(account, NOW));
            }
            Set<Long> seen = new TreeSet<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                for (Future<Long> f : pool.invokeAll(bumps)) {
                    seen.add(f.get());
                }
            }
            assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            assertThat(RefreshEpochs.load(db).current(account)).isEqualTo(8);
            assertThat(Math.max(replicas.get(0).current(account), replicas.get(1).current(account))).isEqualTo(8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void bump_onAnotherReplica_isReadHereAtTheCatchUpAndAfterThePruningOfIt(String kind) {
        String account = account();
        String missed = account();
        MutableClock clock = new MutableClock(NOW);
        try (Database db = Database.open(Stores.isolated(kind, dir))) {
            RefreshEpochs writer = RefreshEpochs.load(db, ChangeFeed.open(db, clock));
            ChangeFeed feed = ChangeFeed.open(db, clock);
            RefreshEpochs follower = RefreshEpochs.load(db, feed);

            writer.bump(account, NOW);
            assertThat(follower.current(account)).as("not before its catch-up").isZero();
            assertThat(feed.catchUp()).isTrue();
            assertThat(follower.current(account)).isEqualTo(1);

            writer.bump(missed, NOW);
            clock.advance(Duration.ofDays(2));
            writer.bump(account, NOW);
            assertThat(feed.prune()).isPositive();
            assertThat(feed.catchUp()).isTrue();
            assertThat(follower.current(missed)).as("pruned before this replica read it: reloaded").isEqualTo(1);
            assertThat(follower.current(account)).isEqualTo(2);
        }
    }
}
