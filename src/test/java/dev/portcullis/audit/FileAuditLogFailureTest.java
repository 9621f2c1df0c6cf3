package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testbed.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file log on a disk that refuses writes: one segment file however many appends fail, no torn bytes, health. */
class FileAuditLogFailureTest {
    @TempDir
    Path dir;

    private final FullDisk disk = new FullDisk();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T09:00:00Z"));

    private FileAuditLog open() {
        return FileAuditLog.open(new AuditFiles(dir, AuditFiles.SEGMENT_BYTES, disk), dir, null, AuditSettings.KEEP_ALL, clock);
    }

    private static AuditEvent event(String subject) {
        return new AuditEvent(Instant.parse("2026-11-25T09:00:00Z"), "registryauth", "token", subject, "10.0.0.1",
                "login", "deny", "no authenticator knows this account", "");
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static List<String> subjects(FileAuditLog log) {
        return log.recent(100).stream().filter(e -> e.capability().equals("registryauth")).map(AuditEvent::subject).toList();
    }

    @Test
    void record_diskFullAfterAnAppend_failsEveryTimeInTheSameSegmentAndCutsTheTornBytes() throws Exception {
        try (FileAuditLog log = open()) {
            log.record(event("before"));
            disk.full = true;
            for (int i = 0; i < 200; i++) {
                String subject = "lost-" + i;
                assertThatThrownBy(() -> log.record(event(subject))).isInstanceOf(AuditException.class)
                        .hasMessageContaining("No space left on device");
            }
            assertThat(files()).hasSize(1);
            assertThat(Files.readString(files().get(0))).endsWith("\n").hasLineCount(1);
            assertThat(log.health()).contains("last append failed: No space left on device");

            disk.full = false;
            log.record(event("after"));
            assertThat(log.health()).isEmpty();
            assertThat(subjects(log)).containsExactly("after", "before");
            assertThat(files()).hasSize(1);
        }
    }

    @Test
    void record_diskFullFromTheStart_createsOneSegmentAtMost() throws Exception {
        disk.full = true;
        try (FileAuditLog log = open()) {
            for (int i = 0; i < 200; i++) {
                assertThatThrownBy(() -> log.record(event("lost"))).isInstanceOf(AuditException.class);
            }
            assertThat(files()).hasSizeLessThanOrEqualTo(1);
            disk.full = false;
            log.record(event("after"));
            assertThat(files()).hasSize(1);
        }
        try (FileAuditLog log = open()) {
            assertThat(subjects(log)).containsExactly("after");
        }
    }

    @Test
    void health_diskFreedWithoutFurtherDecisions_recoversByItselfAndRecordsIt() throws Exception {
        try (FileAuditLog log = open()) {
            disk.full = true;
            assertThatThrownBy(() -> log.record(event("lost"))).isInstanceOf(AuditException.class);
            assertThat(log.health()).isPresent();
            disk.full = false;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (log.health().isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(log.health()).isEmpty();
            assertThat(log.recent(10)).anySatisfy(e -> {
                assertThat(e.capability()).isEqualTo("audit");
                assertThat(e.decision()).isEqualTo("recovered");
                assertThat(e.detail()).contains("No space left on device");
            });
        }
    }
}
