package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testbed.Stores;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
