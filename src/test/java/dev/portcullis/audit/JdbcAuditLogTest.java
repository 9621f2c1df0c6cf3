package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testbed.MutableClock;
import dev.portcullis.testbed.Stores;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JdbcAuditLogTest {
    @TempDir
    Path dir;

    private StoreSettings settings(String kind) {
        return Stores.settings(kind, dir);
    }

    private static AuditEvent event(String subject) {
        return new AuditEvent(Instant.parse("2026-11-24T10:00:00Z"), "registryauth", "token", subject, "10.0.0.1",
                "repository:a:pull", "allow", "acl[0]", "");
    }

    @Test
    void record_firstAfterARestartOfPostgres_isWrittenOnceNotRefused() throws Exception {
        String subject = "after-restart-" + System.nanoTime();
        try (Database db = Database.open(Stores.restartable(dir, 2)); JdbcAuditLog log = new JdbcAuditLog(db)) {
            log.record(event("before-restart"));
            // Both connections in use across the restart, then back in the pool: handed out again unchecked.
            try (Connection a = db.connection(); Connection b = db.connection()) {
                Stores.restartPostgres();
            }

            log.record(event(subject));

            assertThat(log.health()).isEmpty();
            assertThat(log.recent(100)).filteredOn(e -> e.subject().equals(subject)).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void record_concurrentWriters_allEventsDurableAfterReopen(String kind) throws Exception {
        StoreSettings s = settings(kind);
        String marker = "writer-" + System.nanoTime();
        try (Database db = Database.open(s); JdbcAuditLog log = new JdbcAuditLog(db);
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String subject = marker + "-" + i;
                done.add(pool.submit(() -> log.record(event(subject))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        try (Database db = Database.open(s); JdbcAuditLog log = new JdbcAuditLog(db)) {
            assertThat(log.recent(10_000)).filteredOn(e -> e.subject().startsWith(marker)).hasSize(500);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void deleteExpired_rowsOlderThanMaxAge_deletedInBoundedBatchesEachRecorded(String kind) throws Exception {
        StoreSettings s = settings(kind);
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        String marker = "old-" + System.nanoTime();
        AuditEvent old = new AuditEvent(now.minus(Duration.ofDays(31)), "registryauth", "token", marker, "10.0.0.1",
                "login", "deny", "x", "");
        AuditEvent young = new AuditEvent(now.minus(Duration.ofDays(29)), "registryauth", "token", marker + "-young",
                "10.0.0.1", "login", "deny", "x", "");
        try (Database db = Database.open(s);
             JdbcAuditLog log = new JdbcAuditLog(db, new AuditSettings(Duration.ofDays(30), 0, Duration.ZERO),
                     new MutableClock(now))) {
            try (Connection c = db.connection()) {
                AuditRows.insert(c, Collections.nCopies(JdbcAuditLog.DELETE_BATCH * 2 + 500, old));
                AuditRows.insert(c, List.of(young));
            }
            while (log.deleteExpired() > 0) {
                // the writer's own hourly pass may take some of the batches
            }
            List<AuditEvent> left = log.recent(10_000);
            assertThat(left).extracting(AuditEvent::subject).doesNotContain(marker).contains(marker + "-young");
            List<AuditEvent> deletions = left.stream().filter(e -> e.action().equals("retention")).toList();
            assertThat(deletions).hasSizeGreaterThanOrEqualTo(3).allSatisfy(e -> {
                assertThat(e.rule()).isEqualTo("audit.retention.max_age 30d");
                assertThat(Integer.parseInt(e.detail().split(" ")[0])).isLessThanOrEqualTo(JdbcAuditLog.DELETE_BATCH);
            });
        }
    }

    @Test
    void record_storeClosed_throwsSoTheDecisionFailsClosed() {
        Database db = Database.open(StoreSettings.inMemory("closed-" + System.nanoTime()));
        JdbcAuditLog log = new JdbcAuditLog(db);
        db.close();
        assertThatThrownBy(() -> log.record(event("x"))).isInstanceOf(AuditException.class);
        log.close();
    }

    @Test
    void event_oversizeField_isClippedNotRejected() {
        AuditEvent e = new AuditEvent(Instant.now(), "c", "a", "x".repeat(10_000), null, null, "deny", null, null);
        assertThat(e.subject()).hasSizeLessThanOrEqualTo(4096);
        assertThat(e.clientIp()).isEmpty();
    }
}
