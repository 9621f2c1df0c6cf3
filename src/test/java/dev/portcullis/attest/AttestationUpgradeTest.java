package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
import dev.portcullis.store.Database;
import dev.portcullis.store.EarlierSchema;
import dev.portcullis.store.StoreSettings;
import dev.portcullis.testbed.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A store written by a build from before the attestation entries (schema 18.1) is upgraded in place:
 * every attestation it holds is in the index after the migration, on H2 and on a real PostgreSQL.
 */
class AttestationUpgradeTest {
    private static final String EARLIER = "18.1";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void open_attestationsStoredByAnEarlierBuild_areIndexedWithTheirTimesAndRevocations(String kind) throws Exception {
        StoreSettings settings = Stores.fresh(kind, dir);
        EarlierSchema.migrate(settings, EARLIER);
        KeyPair kp = p256();
        KeyPair revoked = p256();
        Digest a = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
        Digest b = new Digest("sha512", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(new byte[] {1})));
        Digest d = Digest.sha256("d".getBytes(StandardCharsets.UTF_8));
        Instant at = Instant.parse("2026-11-20T10:00:00.123456Z");
        String keyId = AttestorKey.Pkix.defaultId(kp.getPublic());
        String revokedId = AttestorKey.Pkix.defaultId(revoked.getPublic());
        try (Connection c = connect(settings)) {
            attestor(c, "ci", kp, null);
            attestor(c, "qa", kp, null);
            key(c, "qa", revoked, at);
            legacyRow(c, "ci", keyId, kp, a, at, true);
            legacyRow(c, "ci", keyId, kp, b, at.plusSeconds(1), true);
            legacyRow(c, "ci", keyId, kp, d, at.plusSeconds(1), true);   // stored with b: one entries row for both
            legacyRow(c, "qa", keyId, kp, a, at, true);
            legacyRow(c, "qa", revokedId, revoked, b, at, true);
        }
        try (Database db = Database.open(settings, List.of(), List.of(new V27_2__AttestationEntries()))) {
            AttestationIndex index = new AttestationStore(db, Clock.systemUTC()).index();
            assertThat(index.size()).isEqualTo(5);
            assertThat(count(db, "attestation_entries")).isEqualTo(4);
            assertThat(index.lookup("ci", a, at).valid()).isEqualTo(1);
            assertThat(index.lookup("ci", d, at.plusSeconds(1)).valid()).isEqualTo(1);
            assertThat(index.lookup("ci", a, at.plusNanos(1000)).expired()).as("the time to the microsecond").isEqualTo(1);
            assertThat(index.lookup("ci", b, at.plusSeconds(1)).valid()).isEqualTo(1);
            assertThat(index.lookup("qa", a, at).valid()).isEqualTo(1);
            assertThat(index.lookup("qa", b, Instant.MIN).revoked()).isEqualTo(1);
        }
        // The entries, not the upgrade, are what a later start reads; a deletion takes the attestor's with it.
        try (Database db = Database.open(settings, List.of(), List.of(new V27_2__AttestationEntries()))) {
            AttestationStore store = new AttestationStore(db, Clock.systemUTC());
            assertThat(store.index().lookup("ci", b, Instant.MIN).valid()).isEqualTo(1);
            store.deleteAttestor("qa");
        }
        try (Database db = Database.open(settings, List.of(), List.of(new V27_2__AttestationEntries()))) {
            AttestationIndex index = new AttestationStore(db, Clock.systemUTC()).index();
            assertThat(index.size()).isEqualTo(3);
            assertThat(index.lookup("qa", a, Instant.MIN).valid()).isZero();
            assertThat(index.lookup("ci", d, Instant.MIN).valid()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void open_repeatsStoredByAnEarlierBuild_keepsTheNewestOfEachAndIndexesItOnce(String kind) throws Exception {
        StoreSettings settings = Stores.fresh(kind, dir);
        EarlierSchema.migrate(settings, EARLIER);
        KeyPair kp = p256();
        String attestor = "projects/p/attestors/legacy";
        String keyId = AttestorKey.Pkix.defaultId(kp.getPublic());
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        Instant newest = Instant.parse("2026-11-20T10:00:00Z");
        try (Connection c = connect(settings)) {
            attestor(c, attestor, kp, null);
            // As a build from before content_sha256 stored them: no content digest, the same attestation three times.
            for (Instant at : List.of(newest.minusSeconds(7200), newest, newest.minusSeconds(3600))) {
                legacyRow(c, attestor, keyId, kp, digest, at, false);
            }
        }
        try (Database db = Database.open(settings, List.of(), List.of(new V27_2__AttestationEntries()))) {
            AttestationStore reopened = new AttestationStore(db, Clock.systemUTC());
            assertThat(reopened.index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);
            assertThat(reopened.index().lookup(attestor, digest, newest).valid()).as("the newest is kept").isEqualTo(1);
            assertThat(count(db, "attestations")).isEqualTo(1);
            assertThat(count(db, "attestation_entries")).isEqualTo(1);
            byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
            Ingested again = reopened.ingest(new Occurrence("gcr.io/p/app@" + digest, attestor, payload,
                    List.of(new Occurrence.Signature(keyId, sign(kp, payload))), null));
            assertThat(again.created()).isFalse();
            assertThat(again.attestation().createdAt()).isEqualTo(newest);
            assertThat(count(db, "attestation_entries")).isEqualTo(1);
        }
    }

    private static Connection connect(StoreSettings s) throws Exception {
        return java.sql.DriverManager.getConnection(s.url(), s.user(), s.password().reveal());
    }

    private static void attestor(Connection c, String name, KeyPair kp, Instant revokedAt) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attestors (name, note, created_at) VALUES (?, '', ?)")) {
            ps.setString(1, name);
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        key(c, name, kp, revokedAt);
    }

    private static void key(Connection c, String attestor, KeyPair kp, Instant revokedAt) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attestor_keys (attestor, key_id, kind, algorithm, material, "
                + "revoked_at) VALUES (?, ?, 'PKIX', 'ECDSA_P256_SHA256', ?, ?)")) {
            ps.setString(1, attestor);
            ps.setString(2, AttestorKey.Pkix.defaultId(kp.getPublic()));
            ps.setString(3, Pem.write(kp.getPublic()));
            ps.setTimestamp(4, revokedAt == null ? null : Timestamp.from(revokedAt));
            ps.executeUpdate();
        }
    }

    // A row as the earlier build wrote it; withContent: one from after content_sha256 (16.2) came.
    private static void legacyRow(Connection c, String attestor, String keyId, KeyPair kp, Digest digest, Instant at,
                                  boolean withContent) throws Exception {
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attestations (attestor, key_id, repository, digest, payload, "
                + "signature, created_at, content_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, attestor);
            ps.setString(2, keyId);
            ps.setString(3, "gcr.io/p/app");
            ps.setString(4, digest.toString());
            ps.setString(5, Base64.getEncoder().encodeToString(payload));
            ps.setString(6, Base64.getEncoder().encodeToString(sign(kp, payload)));
            ps.setTimestamp(7, Timestamp.from(at));
            ps.setString(8, withContent ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)) : null);
            ps.executeUpdate();
        }
    }

    private static int count(Database db, String table) throws Exception {
        try (Connection c = db.connection(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static byte[] sign(KeyPair k, byte[] payload) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(k.getPrivate());
        s.update(payload);
        return s.sign();
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
