package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditException;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditSettings;
import dev.portcullis.audit.JdbcAuditLog;
import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.testbed.MutableClock;
import dev.portcullis.testbed.SignedBatches;
import dev.portcullis.testbed.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Retention of unasked attestations, against a moving clock, on H2 and on a real PostgreSQL. */
class AttestationRetentionTest {
    private static final Duration WINDOW = Duration.ofDays(90);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final String attestor = "projects/p/attestors/keep-" + System.nanoTime();
    private KeyPair key;
    private String keyId;
    private ChangeFeed feed;
    private AttestationStateRef state;

    private Database open(String kind) {
        return Database.open(Stores.isolated(kind, dir));
    }

    private AttestationStore store(Database db) throws Exception {
        feed = ChangeFeed.open(db, clock);
        state = AttestationStateRef.standalone();
        AttestationStore store = new AttestationStore(db, clock, feed, state);
        store.addAttestor(attestor, "");
        key = SignedBatches.p256();
        keyId = store.addKey(attestor, Pem.write(key.getPublic()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256), Optional.empty());
        return store;
    }

    private Digest attest(AttestationStore store, String image) throws Exception {
        Digest d = Digest.sha256((attestor + image).getBytes(StandardCharsets.UTF_8));
        store.ingest(SignedBatches.occurrence(attestor, key, keyId, image, d));
        return d;
    }

    // A retention on the store's feed and state, whose replica started this long ago.
    private AttestationRetention retention(Database db, AuditLog audit, Duration startedAgo) {
        return new AttestationRetention(db, feed, state, AskedDigests.since(clock.instant().minus(startedAgo)), WINDOW, clock, audit);
    }

    // In memory, in the store, and in memory again after a restart.
    private void assertKept(Database db, AttestationStore store, Digest d) throws Exception {
        assertThat(indexed(store, attestor, d)).isTrue();
        assertThat(stored(db, d)).isEqualTo(1);
        assertThat(indexed(new AttestationStore(db, clock), attestor, d)).isTrue();
    }

    private static boolean indexed(AttestationStore store, String attestor, Digest d) {
        return store.index().lookup(attestor, d, Instant.MIN).valid() > 0;
    }

    private static int stored(Database db, Digest d) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM attestations WHERE digest = ?")) {
            ps.setString(1, d.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<AuditEvent> retentionRecords(AuditLog log) {
        return log.recent(1_000).stream().filter(e -> e.action().equals("retention") && e.capability().equals("attest")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void pass_unaskedPastTheWindow_removedFromStoreAndIndexAndAudited(String kind) throws Exception {
        try (Database db = open(kind); AuditLog audit = new JdbcAuditLog(db, AuditSettings.KEEP_ALL, clock)) {
            AttestationStore store = store(db);
            Digest asked = attest(store, "asked");
            Digest unasked = attest(store, "unasked");
            AskedDigests asks = AskedDigests.since(clock.instant());
            AttestationRetention retention = new AttestationRetention(db, feed, state, asks, WINDOW,
                    clock, audit);
            clock.advance(Duration.ofDays(60));
            asks.asked(store.index(), asked, clock.instant());
            clock.advance(Duration.ofDays(31));

            AttestationRetention.Pass p = retention.pass();

            assertThat(p).isEqualTo(new AttestationRetention.Pass(1, 1, false));
            assertThat(indexed(store, attestor, asked)).isTrue();
            assertThat(indexed(store, attestor, unasked)).isFalse();
            assertThat(stored(db, asked)).isEqualTo(1);
            assertThat(stored(db, unasked)).isZero();
            assertThat(retentionRecords(audit)).singleElement().satisfies(e -> {
                assertThat(e.decision()).isEqualTo("delete");
                assertThat(e.rule()).isEqualTo("attestations.retention_unasked 90d");
                assertThat(e.object()).isEqualTo(unasked.toString());
                assertThat(e.detail()).startsWith("1 digest(s), 1 attestation(s)");
            });
            // A pass that removes nothing writes nothing.
            assertThat(retention.pass().digests()).isZero();
            assertThat(retentionRecords(audit)).hasSize(1);
            // A restart reads the same: the entries went with the rows.
            AttestationStore again = new AttestationStore(db, clock);
            assertThat(indexed(again, attestor, asked)).isTrue();
            assertThat(indexed(again, attestor, unasked)).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void pass_withinTheWindowOfTheStartOrOfTheAttestation_removesNothing(String kind) throws Exception {
        try (Database db = open(kind); AuditLog audit = new JdbcAuditLog(db, AuditSettings.KEEP_ALL, clock)) {
            AttestationStore store = store(db);
            Digest old = attest(store, "old");
            clock.advance(Duration.ofDays(50));
            Digest recent = attest(store, "recent");
            clock.advance(Duration.ofDays(41));
            // Started 30 days ago: that start counts as the last ask of every digest.
            AttestationRetention startedLate = retention(db, audit, Duration.ofDays(30));
            assertThat(startedLate.pass().digests()).isZero();
            assertThat(indexed(store, attestor, old)).isTrue();

            AttestationRetention startedFirst = retention(db, audit, Duration.ofDays(91));
            assertThat(startedFirst.pass().digests()).isEqualTo(1);
            assertThat(indexed(store, attestor, old)).isFalse();
            assertThat(indexed(store, attestor, recent)).as("attested 41 days ago").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void pass_auditLogRefuses_removesNothing(String kind) throws Exception {
        try (Database db = open(kind)) {
            AttestationStore store = store(db);
            Digest d = attest(store, "app");
            clock.advance(Duration.ofDays(91));
            AttestationRetention retention = retention(db, new RefusingLog(), Duration.ofDays(91));

            assertThatThrownBy(retention::pass).isInstanceOf(AuditException.class);

            assertKept(db, store, d);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void pass_storeRefusesHalfWay_everythingStaysAndTheRefusalIsAudited(String kind) throws Exception {
        try (Database db = open(kind); AuditLog audit = new JdbcAuditLog(db, AuditSettings.KEEP_ALL, clock)) {
            AttestationStore store = store(db);
            Digest d = attest(store, "app");
            clock.advance(Duration.ofDays(91));
            AttestationRetention retention = retention(db, audit, Duration.ofDays(91));
            // The attestations rows go first; the entries' table is not there for the second step.
            sql(db, "ALTER TABLE attestation_entries RENAME TO attestation_entries_away");

            assertThatThrownBy(retention::pass).isInstanceOf(dev.portcullis.store.StoreException.class);

            sql(db, "ALTER TABLE attestation_entries_away RENAME TO attestation_entries");
            assertKept(db, store, d);
            assertThat(retentionRecords(audit)).singleElement().satisfies(e -> {
                assertThat(e.decision()).isEqualTo("error");
                assertThat(e.rule()).isEqualTo("attestations.retention_unasked 90d");
                assertThat(e.detail()).contains("every attestation stays").doesNotContain("attestation_entries");
            });
        }
    }

    private static void sql(Database db, String statement) throws Exception {
        try (Connection c = db.connection()) {
            c.createStatement().execute(statement);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void pass_anotherReplica_dropsTheSameEntriesThroughTheFeed(String kind) throws Exception {
        try (Database db = open(kind); AuditLog audit = new JdbcAuditLog(db, AuditSettings.KEEP_ALL, clock)) {
            AttestationStore store = store(db);
            Digest gone = attest(store, "gone");
            ChangeFeed otherFeed = ChangeFeed.open(db, clock);
            AttestationStore other = new AttestationStore(db, clock, otherFeed, AttestationStateRef.standalone());
            assertThat(indexed(other, attestor, gone)).isTrue();
            clock.advance(Duration.ofDays(91));
            retention(db, audit, Duration.ofDays(91)).pass();
            Digest later = attest(store, "later");

            assertThat(otherFeed.catchUp()).isTrue();

            assertThat(indexed(other, attestor, gone)).isFalse();
            assertThat(indexed(other, attestor, later)).isTrue();
        }
    }

    /** An audit log whose disk is full. */
    private static final class RefusingLog implements AuditLog {
        @Override
        public void record(AuditEvent event) {
            throw new AuditException("the audit log cannot be written", null);
        }

        @Override
        public List<AuditEvent> recent(int limit) {
            return List.of();
        }

        @Override
        public void close() {}
    }
}
