package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testbed.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repeated denials from one source: the first written at once, the rest counted into one record with the rule. */
class CoalescingAuditLogTest {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final String RULE = "no authenticator knows this account";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T09:00:00Z"));
    private final FullDisk disk = new FullDisk();
    private FileAuditLog files;
    private CoalescingAuditLog log;

    @BeforeEach
    void open() {
        files = FileAuditLog.open(new AuditFiles(dir, AuditFiles.SEGMENT_BYTES, disk), dir, null, AuditSettings.KEEP_ALL, clock);
        log = new CoalescingAuditLog(files, WINDOW, clock, false);
    }

    @AfterEach
    void close() {
        log.close();
    }

    private AuditEvent denial(String subject, String rule) {
        return new AuditEvent(clock.instant(), "registryauth", "token", subject, "192.0.2.7", "login", "deny", rule,
                "service=registry.local");
    }

    private List<AuditEvent> written() {
        return files.recent(10_000);
    }

    @Test
    void recordRepeated_floodOfUniqueNamesFromOneSource_oneRecordAtOnceAndOneCountWhenTheWindowEnds() {
        for (int i = 0; i < 1_000; i++) {
            log.recordRepeated("192.0.2.7", denial("%0250d".formatted(i), RULE));
        }
        assertThat(written()).hasSize(1);
        assertThat(written().get(0).subject()).isEqualTo("%0250d".formatted(0));

        clock.advance(WINDOW);
        log.flushEnded();
        AuditEvent summary = written().get(0);
        assertThat(written()).hasSize(2);
        assertThat(summary.rule()).isEqualTo(RULE);
        assertThat(summary.decision()).isEqualTo("deny");
        assertThat(summary.clientIp()).isEqualTo("192.0.2.7");
        assertThat(summary.subject()).isEmpty();
        assertThat(summary.detail()).startsWith("repeated 999 times from ").contains("(subjects varied)")
                .endsWith("; service=registry.local");
    }

    @Test
    void recordRepeated_sameSourceAfterTheWindow_writesTheCountThenTheNewDenialAtOnce() {
        log.recordRepeated("192.0.2.7", denial("alice", RULE));
        log.recordRepeated("192.0.2.7", denial("alice", RULE));
        clock.advance(WINDOW.plusSeconds(1));
        log.recordRepeated("192.0.2.7", denial("alice", RULE));
        assertThat(written()).extracting(AuditEvent::detail)
                .containsExactly("service=registry.local", "repeated 1 time from 2026-11-25T09:00:00Z to "
                        + "2026-11-25T09:00:00Z; service=registry.local", "service=registry.local");
        assertThat(written().get(1).subject()).isEqualTo("alice");
    }

    @Test
    void recordRepeated_otherSourceOrOtherRule_isWrittenAtOnce() {
        log.recordRepeated("192.0.2.7", denial("a", RULE));
        log.recordRepeated("192.0.2.8", denial("a", RULE));
        log.recordRepeated("192.0.2.7", denial("a", "login.max_failures_per_address: 100 failed logins"));
        assertThat(written()).hasSize(3);
    }

    @Test
    void record_grantsAndOtherDecisions_areNeverFolded() {
        for (int i = 0; i < 5; i++) {
            log.record(denial("a", RULE));
        }
        assertThat(written()).hasSize(5);
    }

    @Test
    void close_pendingCounts_areWritten() {
        for (int i = 0; i < 10; i++) {
            log.recordRepeated("192.0.2.7", denial("a", RULE));
        }
        log.close();
        try (FileAuditLog reopened = FileAuditLog.open(dir)) {
            assertThat(reopened.recent(10)).extracting(AuditEvent::detail).first().asString().startsWith("repeated 9 times");
        }
    }

    @Test
    void recordRepeated_logCannotBeWritten_failsEveryTimeSoTheDecisionFailsClosed() {
        log.recordRepeated("192.0.2.7", denial("a", RULE));
        disk.full = true;
        assertThatThrownBy(() -> log.recordRepeated("192.0.2.9", denial("b", RULE))).isInstanceOf(AuditException.class);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> log.recordRepeated("192.0.2.7", denial("a", RULE))).isInstanceOf(AuditException.class);
        }
        disk.full = false;
        log.recordRepeated("192.0.2.9", denial("b", RULE));
        assertThat(written()).filteredOn(e -> e.capability().equals("registryauth")).extracting(AuditEvent::subject)
                .containsExactly("b", "a");
    }
}
