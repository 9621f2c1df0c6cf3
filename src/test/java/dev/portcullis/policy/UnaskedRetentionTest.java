package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.attest.AttestationStore;
import dev.portcullis.attest.PkixAlgorithm;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditSettings;
import dev.portcullis.audit.JdbcAuditLog;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
import dev.portcullis.platform.BackgroundWork;
import dev.portcullis.platform.StartContext;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import dev.portcullis.testbed.MutableClock;
import dev.portcullis.testbed.SignedBatches;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention as the capability starts it: asked about means a policy evaluation looked the digest up. */
class UnaskedRetentionTest {
    private static final String ATTESTOR = "projects/p/attestors/ci";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private AttestationPolicy start(Database db, AuditLog audit, Duration retention) {
        return new AttestationPolicyCapability().start(new AttestationPolicySettings(1L << 30, retention),
                new StartContext(dir, db, ChangeFeed.open(db, clock), audit, clock, List.of()));
    }

    private static Digest digest(String image) {
        return Digest.sha256(image.getBytes(StandardCharsets.UTF_8));
    }

    // Attests two images at the clock's time, and requires the attestor's attestation of every image.
    private static void attestTwo(AttestationPolicy m) throws Exception {
        AttestationStore store = m.attestations();
        store.addAttestor(ATTESTOR, "");
        KeyPair kp = SignedBatches.p256();
        String keyId = store.addKey(ATTESTOR, Pem.write(kp.getPublic()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256), Optional.empty());
        store.ingestAll(List.of(SignedBatches.occurrence(ATTESTOR, kp, keyId, "deployed", digest("deployed")),
                SignedBatches.occurrence(ATTESTOR, kp, keyId, "forgotten", digest("forgotten"))));
        m.policy().policies().replace("defaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n"
                + "  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy: [" + ATTESTOR + "]\n");
    }

    private static boolean allowed(AttestationPolicy m, String image) {
        return m.policy().evaluate(List.of("gcr.io/p/" + image + "@" + digest(image)), EvaluationContext.none(), "test").allowed();
    }

    @Test
    void sweep_evaluatedWithinTheWindow_keptAndTheUnaskedOneRemoved() throws Exception {
        try (Database db = Database.open(StoreSettings.embedded(dir)); AuditLog audit = new JdbcAuditLog(db, AuditSettings.KEEP_ALL, clock)) {
            AttestationPolicy m = start(db, audit, Duration.ofDays(90));
            attestTwo(m);
            clock.advance(Duration.ofDays(80));
            assertThat(allowed(m, "deployed")).isTrue();
            clock.advance(Duration.ofDays(11));

            assertThat(m.background()).extracting(BackgroundWork::name).containsExactly("attestation retention");
            ((RetentionSweeper) m.background().get(0)).sweep();

            assertThat(allowed(m, "deployed")).isTrue();
            assertThat(allowed(m, "forgotten")).isFalse();
            assertThat(audit.recent(100)).filteredOn(e -> e.action().equals("retention")).extracting(AuditEvent::object)
                    .containsExactly(digest("forgotten").toString());
        }
    }

    @Test
    void start_retentionOff_hasNoSweepAndKeepsEverything() throws Exception {
        try (Database db = Database.open(StoreSettings.embedded(dir)); AuditLog audit = new JdbcAuditLog(db, AuditSettings.KEEP_ALL, clock)) {
            AttestationPolicySettings defaults = AttestationPolicySettings.from(ConfigDocument.parse("users: {}\n", "auth.yml", Map.of()).root());
            AttestationPolicy m = start(db, audit, defaults.retentionUnasked());
            attestTwo(m);
            clock.advance(Duration.ofDays(3650));

            assertThat(m.background()).isEmpty();
            assertThat(allowed(m, "forgotten")).isTrue();
        }
    }
}
