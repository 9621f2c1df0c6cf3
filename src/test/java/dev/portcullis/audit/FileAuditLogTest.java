package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogTest {
    @TempDir
    Path dir;

    private Path logDir() {
        return dir.resolve("data/audit");
    }

    private static AuditEvent event(String subject) {
        return new AuditEvent(Instant.parse("2026-11-25T09:00:00Z"), "registryauth", "token", subject, "10.0.0.1",
                "repository:a:pull", "allow", "acl[0]", "");
    }

    private static long count(List<AuditEvent> events, String prefix) {
        return events.stream().filter(e -> e.subject().startsWith(prefix)).count();
    }

    private List<Path> files(Path in) throws Exception {
        try (Stream<Path> s = Files.list(in)) {
            return s.sorted().toList();
        }
    }

    @Test
    void record_concurrentWriters_everyEventReadableOnceRecordReturns() throws Exception {
        try (FileAuditLog log = FileAuditLog.open(logDir()); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                String subject = "w-" + i;
                done.add(pool.submit(() -> log.record(event(subject))));
            }
            for (Future<?> f : done) {
                f.get();
            }
            List<AuditEvent> all = log.recent(10_000);
            assertThat(count(all, "w-")).isEqualTo(2_000);
            assertThat(all).extracting(AuditEvent::subject).doesNotHaveDuplicates();
        }
    }

    @Test
    void recent_sequentialRecords_newestFirstAcrossSegmentsAndReopens() throws Exception {
        try (FileAuditLog log = FileAuditLog.open(logDir(), 400)) {   // a new segment every two events or so
            for (int i = 1; i <= 10; i++) {
                log.record(event("e-" + i));
            }
            assertThat(log.recent(3)).extracting(AuditEvent::subject).containsExactly("e-10", "e-9", "e-8");
        }
        try (FileAuditLog log = FileAuditLog.open(logDir())) {
            log.record(event("after-reopen"));
            assertThat(log.recent(12)).extracting(AuditEvent::subject).startsWith("after-reopen", "e-10", "e-9")
                    .hasSize(11);
        }
        assertThat(files(logDir())).hasSizeGreaterThan(2).last().asString().endsWith("events-0000000000000000011.jsonl");
    }

    @Test
    void open_segmentEndingInHalfALine_keepsTheWholeLinesAndContinuesInANewSegment() throws Exception {
        try (FileAuditLog log = FileAuditLog.open(logDir())) {
            log.record(event("before-1"));
            log.record(event("before-2"));
        }
        Path first = files(logDir()).get(0);
        Files.writeString(first, "{\"seq\":3,\"time\":\"2026-11-25T0", java.nio.file.StandardOpenOption.APPEND);
        try (FileAuditLog log = FileAuditLog.open(logDir())) {
            log.record(event("after"));
            assertThat(log.recent(10)).extracting(AuditEvent::subject).containsExactly("after", "before-2", "before-1");
        }
        assertThat(files(logDir())).extracting(p -> p.getFileName().toString())
                .containsExactly("events-0000000000000000001.jsonl", "events-0000000000000000003.jsonl");
    }

    @Test
    void open_newestSegmentHoldsOnlyATornFirstLine_continuesInAnotherSegmentAndStaysReadable() throws Exception {
        try (FileAuditLog log = FileAuditLog.open(logDir())) {
            log.record(event("before"));
        }
        // What a crash during the first append of a start leaves: a segment with half a line.
        Files.writeString(logDir().resolve("events-0000000000000000002.jsonl"), "{\"seq\":2,\"time\":\"2026-");
        try (FileAuditLog log = FileAuditLog.open(logDir())) {
            log.record(event("after"));
        }
        try (FileAuditLog log = FileAuditLog.open(logDir())) {
            assertThat(log.recent(10)).extracting(AuditEvent::subject).containsExactly("after", "before");
        }
        assertThat(files(logDir())).last().asString().endsWith("events-0000000000000000003.jsonl");
    }

    @Test
    void open_journalLeftByAnEarlierVersion_takesItsEventsOver() throws Exception {
        Path legacy = dir.resolve("data/audit-journal");
        try (AuditFiles old = new AuditFiles(legacy)) {
            old.append(List.of(new AuditFiles.Entry(41, event("old-41")), new AuditFiles.Entry(42, event("old-42"))));
        }
        try (FileAuditLog log = FileAuditLog.open(logDir(), legacy, AuditSettings.KEEP_ALL, java.time.Clock.systemUTC())) {
            log.record(event("new"));
            assertThat(log.recent(10)).extracting(AuditEvent::subject).containsExactly("new", "old-42", "old-41");
        }
        assertThat(legacy).doesNotExist();
        assertThat(files(logDir())).last().asString().endsWith("events-0000000000000000043.jsonl");
    }

    @Test
    void open_filesAndDirectory_areReadableByTheOwnerOnly() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        try (FileAuditLog log = FileAuditLog.open(logDir())) {
            log.record(event("x"));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logDir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files(logDir()).get(0))))
                .isEqualTo("rw-------");
    }

    @Test
    void recent_damagedNewestLine_failsNamingTheFile() throws Exception {
        try (FileAuditLog log = FileAuditLog.open(logDir())) {
            log.record(event("x"));
        }
        Path file = files(logDir()).get(0);
        Files.writeString(file, "{\"seq\": \"not a number\"}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> FileAuditLog.open(logDir())).isInstanceOf(AuditException.class)
                .hasMessageContaining(file.getFileName().toString()).hasMessageContaining("damaged");
    }

    @Test
    void record_afterClose_failsClosed() {
        FileAuditLog log = FileAuditLog.open(logDir());
        log.close();
        assertThatThrownBy(() -> log.record(event("late"))).isInstanceOf(AuditException.class)
                .hasMessageContaining("closed");
    }
}
