package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.store.StoreException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An administrative change is recorded first, made after, and a failed one is recorded as not applied. */
class AuditedChangeTest {
    @TempDir
    Path dir;

    private static final AuditEvent CHANGE = new AuditEvent(Instant.parse("2026-12-01T00:00:00Z"), "policy", "policy",
            "ci", "10.0.0.1", "replace", "allow", "admin token ci", "old_sha256=a new_sha256=b");

    /** A log that keeps events in memory, or refuses every write. */
    private static final class MemoryLog implements AuditLog {
        final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
        volatile boolean broken;

        @Override
        public void record(AuditEvent event) {
            if (broken) {
                throw new AuditException("cannot write the audit log: disk full", null);
            }
            events.add(event);
        }

        @Override
        public List<AuditEvent> recent(int limit) {
            return List.copyOf(events);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void apply_recordWritten_recordsBeforeTheChange() {
        MemoryLog log = new MemoryLog();
        String answer = AuditedChange.apply(log, CHANGE, () -> {
            assertThat(log.events).containsExactly(CHANGE);
            return "done";
        });
        assertThat(answer).isEqualTo("done");
        assertThat(log.events).containsExactly(CHANGE);
    }

    @Test
    void apply_recordUnwritable_neverMakesTheChange() {
        MemoryLog log = new MemoryLog();
        log.broken = true;
        AtomicBoolean made = new AtomicBoolean();
        assertThatThrownBy(() -> AuditedChange.apply(log, CHANGE, () -> made.set(true))).isInstanceOf(AuditException.class);
        assertThat(made).isFalse();
    }

    @Test
    void apply_storeRefusesTheChange_recordsItAsNotAppliedWithoutTheStoresText() {
        MemoryLog log = new MemoryLog();
        assertThatThrownBy(() -> AuditedChange.apply(log, CHANGE, () -> {
            throw new StoreException("INSERT INTO policies VALUES ('secret yaml')", null);
        })).isInstanceOf(StoreException.class);
        assertThat(log.events).hasSize(2);
        AuditEvent failed = log.events.get(1);
        assertThat(failed.decision()).isEqualTo("error");
        assertThat(failed.rule()).isEqualTo("not applied: the store refused the write");
        assertThat(failed.object()).isEqualTo("replace");
        assertThat(failed.subject()).isEqualTo("ci");
    }

    @Test
    void recordAll_fileLog_isOneAppendOfEveryEvent() throws Exception {
        List<AuditEvent> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(new AuditEvent(CHANGE.time(), "attest", "attestation", "ci", "", "gcr.io/p/app-" + i, "allow", "verified", ""));
        }
        List<Integer> sinkCalls = Collections.synchronizedList(new ArrayList<>());
        try (GroupWriter writer = new GroupWriter("test-writer", java.time.Clock.systemUTC(), batch -> sinkCalls.add(batch.size()), () -> { }, () -> { })) {
            writer.record(many);
        }
        assertThat(sinkCalls).containsExactly(1000);
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            log.recordAll(many);
            assertThat(log.recent(2000)).hasSize(1000);
        }
    }
}
