package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.attest.AttestationStore;
import dev.portcullis.attest.PkixAlgorithm;
import dev.portcullis.pki.Pem;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.testbed.MutableClock;
import dev.portcullis.testbed.Stores;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A replica further behind than {@code store.change_log_max_age}, whose missed changes were pruned
 * from the feed: it reloads what a decision reads and agrees with the replica that wrote them.
 */
class PrunedChangeFeedTest {
    private static final String ALLOW = "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, "
            + "enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void catchUp_behindThePrunedHorizon_reloadsAndAgreesWithTheWriter(String kind) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
        String gone = "projects/p/attestors/gone";
        String kept = "projects/p/attestors/kept";
        try (Database db = Database.open(Stores.isolated(kind, dir))) {
            AttestationStore writerAttestations = new AttestationStore(db, clock);
            PolicyStore writerPolicy = new PolicyStore(db, clock);
            ChangeFeed feed = ChangeFeed.open(db, clock);
            DecisionState state = new DecisionState();
            PolicyStore follower = new PolicyStore(db, clock, feed, state);
            AttestationStore followerAttestations = new AttestationStore(db, clock, feed, state.attestations());
            writerAttestations.addAttestor(gone, "");
            writerAttestations.addAttestor(kept, "");
            String keyId = writerAttestations.addKey(kept, Pem.write(p256()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256),
                    Optional.empty());
            assertThat(feed.catchUp()).isTrue();
            assertThat(state.attestations().get().keysOf(gone)).isPresent();

            // Missed by the follower, then pruned: only the newest change is left for it to read.
            writerAttestations.deleteAttestor(gone);
            writerPolicy.replace(ALLOW);
            clock.advance(Duration.ofDays(2));
            writerAttestations.revokeKey(kept, keyId);
            assertThat(feed.prune()).isGreaterThanOrEqualTo(2);

            assertThat(feed.catchUp()).isTrue();

            assertThat(follower.yaml()).isEqualTo(ALLOW);
            assertThat(state.attestations().get().keysOf(gone)).as("deleted while this replica was behind").isEmpty();
            assertThat(followerAttestations.index().isRevoked(kept, keyId)).isTrue();
            assertThat(feed.status().behind()).isZero();
        }
    }

    private static java.security.PublicKey p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair().getPublic();
    }
}
