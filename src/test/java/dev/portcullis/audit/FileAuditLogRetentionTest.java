package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testbed.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on the embedded store: whole closed segments, oldest first, never the current one, each deletion recorded. */
class FileAuditLogRetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");
    private static final AuditSettings THIRTY_DAYS = new AuditSettings(Duration.ofDays(30), 0, Duration.ZERO);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);

    private static AuditEvent event(String subject) {
        return new AuditEvent(NOW, "registryauth", "token", subject, "10.0.0.1", "repository:a:pull", "allow", "acl[0]", "");
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private long bytes() throws Exception {
        long total = 0;
        for (Path p : segments()) {
            total += Files.size(p);
        }
        return total;
    }

    // About two events a segment.
    private void writeSmallSegments(int events) {
        try (FileAuditLog log = FileAuditLog.open(dir, 400)) {
            for (int i = 1; i <= events; i++) {
                log.record(event("e-" + i));
            }
        }
    }

    private List<Path> segmentsWrittenLongAgo() throws Exception {
        writeSmallSegments(6);
        List<Path> old = segments();
        for (Path p : old) {
            Files.setLastModifiedTime(p, FileTime.from(NOW.minus(Duration.ofDays(400))));
        }
        return old;
    }

    private static List<AuditEvent> retentionRecords(FileAuditLog log) {
        return log.recent(10_000).stream().filter(e -> e.capability().equals("audit") && e.action().equals("retention")).toList();
    }

    @Test
    void open_segmentsLastWrittenBeforeMaxAge_areDeletedAndTheDeletionRecorded() throws Exception {
        writeSmallSegments(10);
        List<Path> before = segments();
        assertThat(before).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 0; i < before.size(); i++) {
            Instant written = i < before.size() - 2 ? NOW.minus(Duration.ofDays(40)) : NOW.minus(Duration.ofDays(1));
            Files.setLastModifiedTime(before.get(i), FileTime.from(written));
        }
        try (FileAuditLog log = FileAuditLog.open(dir, null, THIRTY_DAYS, clock)) {
            log.record(event("new"));
            assertThat(segments()).doesNotContainAnyElementsOf(before.subList(0, before.size() - 2))
                    .containsAll(before.subList(before.size() - 2, before.size())).hasSize(3);
            AuditEvent deletion = retentionRecords(log).get(0);
            assertThat(deletion.decision()).isEqualTo("delete");
            assertThat(deletion.rule()).isEqualTo("audit.retention.max_age 30d");
            assertThat(deletion.object()).startsWith(before.get(0).getFileName().toString())
                    .endsWith(before.get(before.size() - 3).getFileName().toString());
            assertThat(log.recent(100)).extracting(AuditEvent::subject).contains("new", "e-10").doesNotContain("e-1");
        }
    }

    @Test
    void record_logGrowsPastMaxSize_deletesOldestClosedSegmentsAndNeverTheCurrent() throws Exception {
        AuditSettings oneMegabyte = new AuditSettings(Duration.ZERO, 1L << 20, Duration.ZERO);
        long segment = FileAuditLog.segmentBytes(oneMegabyte);
        String big = "x".repeat(3_000);
        try (FileAuditLog log = FileAuditLog.open(dir, null, oneMegabyte, clock)) {
            for (int i = 1; i <= 700; i++) {   // about 2.2 MB of events
                log.record(event(big + i));
                assertThat(bytes()).isLessThanOrEqualTo((1L << 20) + segment + 4_096);
            }
            List<AuditEvent> kept = log.recent(10_000);
            assertThat(kept.get(0).subject()).isEqualTo(big + 700);
            assertThat(kept).extracting(AuditEvent::subject).doesNotContain(big + 1);
            assertThat(retentionRecords(log)).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.rule()).isEqualTo("audit.retention.max_size 1MB"));
        }
        assertThat(segments()).last().satisfies(p -> assertThat(Files.size(p)).isPositive());
    }

    @Test
    void record_retentionRecordCannotBeWritten_deletesNothing() throws Exception {
        List<Path> before = segmentsWrittenLongAgo();
        FullDisk disk = new FullDisk();
        disk.full = true;
        try (FileAuditLog log = FileAuditLog.open(new AuditFiles(dir, 400, disk), dir, null, THIRTY_DAYS, clock)) {
            assertThatThrownBy(() -> log.record(event("lost"))).isInstanceOf(AuditException.class);
            assertThat(segments()).containsAll(before);
        }
    }

    @Test
    void tick_idleLogPastMaxAge_deletesWithoutWaitingForADecision() throws Exception {
        List<Path> before = segmentsWrittenLongAgo();
        try (FileAuditLog log = FileAuditLog.open(dir, null, THIRTY_DAYS, clock)) {
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!segments().stream().noneMatch(before::contains) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(segments()).doesNotContainAnyElementsOf(before).hasSize(1);
            assertThat(retentionRecords(log)).hasSize(1);
        }
    }
}
