package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaledAuditLogTest {
    @TempDir
    Path dir;

    private StoreSettings store() {
        return StoreSettings.embedded(dir.resolve("data"));
    }

    private Path journalDir() {
        return dir.resolve("data/audit-journal");
    }

    private static AuditEvent event(String subject) {
        return new AuditEvent(Instant.parse("2026-11-25T09:00:00Z"), "registryauth", "token", subject, "10.0.0.1",
                "repository:a:pull", "allow", "acl[0]", "");
    }

    private static long count(List<AuditEvent> events, String prefix) {
        return events.stream().filter(e -> e.subject().startsWith(prefix)).count();
    }

    private long journalFiles() throws Exception {
        try (Stream<Path> s = Files.list(journalDir())) {
            return s.count();
        }
    }

    @Test
    void record_concurrentWriters_everyEventInTheTableAndTheJournalEmptiedOnClose() throws Exception {
        try (Database db = Database.open(store())) {
            try (JournaledAuditLog log = JournaledAuditLog.open(db, journalDir());
                 var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    String subject = "w-" + i;
                    done.add(pool.submit(() -> log.record(event(subject))));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                assertThat(count(log.recent(10_000), "w-")).isEqualTo(2_000);
            }
            assertThat(journalFiles()).isZero();
            assertThat(new JdbcAuditLog(db).recent(10_000)).hasSize(2_000);
        }
    }

    @Test
    void open_journalLeftByACrash_copiesOnlyWhatTheTableLacksExactlyOnce() throws Exception {
        try (Database db = Database.open(store())) {
            try (JournaledAuditLog log = JournaledAuditLog.open(db, journalDir())) {
                log.record(event("before-1"));
                log.record(event("before-2"));
            }
        }
        // What a crash leaves: entries the table already has (sequence 1 and 2) and some it lacks.
        try (AuditJournal journal = new AuditJournal(journalDir())) {
            journal.append(LongStream.rangeClosed(1, 5).mapToObj(i -> new AuditJournal.Entry(i,
                    event(i <= 2 ? "before-" + i : "crash-" + i))).toList());
        }
        try (Database db = Database.open(store()); JournaledAuditLog log = JournaledAuditLog.open(db, journalDir())) {
            assertThat(journalFiles()).isZero();
            List<AuditEvent> all = new JdbcAuditLog(db).recent(100);
            assertThat(count(all, "before-")).isEqualTo(2);
            assertThat(all).extracting(AuditEvent::subject).startsWith("crash-5", "crash-4", "crash-3");
            log.record(event("after"));
            assertThat(log.recent(1)).extracting(AuditEvent::subject).containsExactly("after");
        }
        try (Database db = Database.open(store()); JournaledAuditLog log = JournaledAuditLog.open(db, journalDir())) {
            assertThat(log.recent(100)).hasSize(6);   // reopening copies nothing twice
        }
    }

    @Test
    void record_storeUnavailable_eventsKeptInTheJournalAndCopiedAtTheNextOpen() throws Exception {
        Database db = Database.open(store());
        JournaledAuditLog log = JournaledAuditLog.open(db, journalDir());
        db.close();
        log.record(event("while-down-1"));   // durable in the journal: the decision may take effect
        log.record(event("while-down-2"));
        log.close();
        assertThat(journalFiles()).isPositive();
        try (Database again = Database.open(store());
             JournaledAuditLog reopened = JournaledAuditLog.open(again, journalDir())) {
            assertThat(count(reopened.recent(100), "while-down-")).isEqualTo(2);
        }
    }

    @Test
    void recent_storeUnavailable_failsNamingTheCause() throws Exception {
        Database db = Database.open(store());
        try (JournaledAuditLog log = JournaledAuditLog.open(db, journalDir())) {
            db.close();
            log.record(event("x"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.recent(1))
                    .isInstanceOf(AuditException.class).hasMessageContaining("has not caught up");
        }
    }

    @Test
    void record_afterClose_failsClosed() {
        try (Database db = Database.open(store())) {
            JournaledAuditLog log = JournaledAuditLog.open(db, journalDir());
            log.close();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.record(event("late")))
                    .isInstanceOf(AuditException.class).hasMessageContaining("closed");
        }
    }
}
