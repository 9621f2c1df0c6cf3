package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testbed.Stores;
import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Attestors, keys and attestations survive a restart, on H2 and on a real PostgreSQL. */
class AttestationStoreTest {
    @TempDir
    Path dir;

    private StoreSettings settings(String kind) {
        return Stores.settings(kind, dir);
    }

    private static byte[] sign(KeyPair k, byte[] payload) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(k.getPrivate());
        s.update(payload);
        return s.sign();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void ingest_signedByTwoKeysOneRevoked_stillCounts(String kind) throws Exception {
        String attestor = "projects/p/attestors/two-" + System.nanoTime();
        KeyPair k1 = p256();
        KeyPair k2 = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        try (Database db = Database.open(settings(kind))) {
            AttestationStore store = new AttestationStore(db, Clock.systemUTC());
            store.addAttestor(attestor, "");
            String id1 = store.addKey(attestor, Pem.write(k1.getPublic()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256), Optional.empty());
            String id2 = store.addKey(attestor, Pem.write(k2.getPublic()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256), Optional.empty());
            store.ingest(new Occurrence("gcr.io/p/app@" + digest, attestor, payload, List.of(
                    new Occurrence.Signature(id1, sign(k1, payload)), new Occurrence.Signature(id2, sign(k2, payload))), null));
            store.revokeKey(attestor, id1);
            assertThat(store.index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);
            store.revokeKey(attestor, id2);
            assertThat(store.index().lookup(attestor, digest, Instant.MIN).valid()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void ingest_validThenRestart_isIndexedAgainAndRevocationSticks(String kind) throws Exception {
        String attestor = "projects/p/attestors/ci-" + System.nanoTime();
        KeyPair kp = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        String resource = "gcr.io/p/app@" + digest;
        String keyId;
        try (Database db = Database.open(settings(kind))) {
            AttestationStore store = new AttestationStore(db, Clock.systemUTC());
            store.addAttestor(attestor, "built by CI");
            keyId = store.addKey(attestor, Pem.write(kp.getPublic()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256), Optional.empty());
            VerifiedAttestation v = store.ingest(new Occurrence(resource, attestor, payload,
                    List.of(new Occurrence.Signature(keyId, sign(kp, payload))), null));
            assertThat(v.keyId()).isEqualTo(keyId);
            assertThat(store.index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);

            byte[] tampered = payload.clone();
            tampered[tampered.length - 5] ^= 1;
            assertThatThrownBy(() -> store.ingest(new Occurrence(resource, attestor, tampered,
                    List.of(new Occurrence.Signature(keyId, sign(kp, payload))), null)))
                    .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
            assertThatThrownBy(() -> store.ingest(new Occurrence(resource, attestor, payload,
                    List.of(new Occurrence.Signature("ni:///sha-256;unknown", sign(kp, payload))), null)))
                    .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
            store.revokeKey(attestor, keyId);
        }
        try (Database db = Database.open(settings(kind))) {
            AttestationStore reopened = new AttestationStore(db, Clock.systemUTC());
            AttestationIndex.Lookup l = reopened.index().lookup(attestor, digest, Instant.MIN);
            assertThat(l.valid()).isZero();
            assertThat(l.revoked()).isEqualTo(1);
            assertThatThrownBy(() -> reopened.ingest(new Occurrence(resource, attestor, payload,
                    List.of(new Occurrence.Signature(keyId, sign(kp, payload))), null)))
                    .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void ingestAll_oneBadInTheMiddle_storesAndIndexesNoneAndNamesIt(String kind) throws Exception {
        String attestor = "projects/p/attestors/batch-" + System.nanoTime();
        KeyPair kp = p256();
        List<Occurrence> good = new ArrayList<>();
        String keyId;
        try (Database db = Database.open(settings(kind))) {
            AttestationStore store = new AttestationStore(db, Clock.systemUTC());
            store.addAttestor(attestor, "");
            keyId = store.addKey(attestor, Pem.write(kp.getPublic()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256), Optional.empty());
            for (int i = 0; i < 3; i++) {
                Digest d = Digest.sha256((attestor + i).getBytes(StandardCharsets.UTF_8));
                byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", d);
                good.add(new Occurrence("gcr.io/p/app@" + d, attestor, payload,
                        List.of(new Occurrence.Signature(keyId, sign(kp, payload))), null));
            }
            Occurrence forged = new Occurrence(good.get(1).resourceUri(), attestor, good.get(1).serializedPayload(),
                    List.of(new Occurrence.Signature(keyId, sign(kp, "something else".getBytes(StandardCharsets.UTF_8)))), null);
            assertThatThrownBy(() -> store.ingestAll(List.of(good.get(0), forged, good.get(2))))
                    .isInstanceOf(AttestationRejectedException.class).hasMessageStartingWith("attestation 1: ")
                    .extracting(e -> ((AttestationRejectedException) e).reason()).isEqualTo(Reason.BAD_SIGNATURE);
            for (Occurrence o : good) {
                assertThat(store.index().lookup(attestor, ArtifactUrl.parse(o.resourceUri()).digest(), Instant.MIN).valid()).isZero();
            }
            assertThatThrownBy(() -> store.ingestAll(List.of())).isInstanceOf(AttestationRejectedException.class)
                    .hasMessageContaining("1 to 1000");
            assertThat(store.ingestAll(good)).extracting(VerifiedAttestation::keyId).containsExactly(keyId, keyId, keyId);
        }
        try (Database db = Database.open(settings(kind))) {
            AttestationStore reloaded = new AttestationStore(db, Clock.systemUTC());
            for (Occurrence o : good) {
                assertThat(reloaded.index().lookup(attestor, ArtifactUrl.parse(o.resourceUri()).digest(), Instant.MIN).valid())
                        .isEqualTo(1);
            }
        }
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
