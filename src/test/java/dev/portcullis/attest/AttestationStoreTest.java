package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testbed.Stores;
import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
                    List.of(new Occurrence.Signature(keyId, sign(kp, payload))), null)).attestation();
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
                    .isInstanceOf(AttestationRejectedException.class).hasMessageStartingWith("attestation 2 of 3: ")
                    .extracting(e -> ((AttestationRejectedException) e).reason()).isEqualTo(Reason.BAD_SIGNATURE);
            for (Occurrence o : good) {
                assertThat(store.index().lookup(attestor, ArtifactUrl.parse(o.resourceUri()).digest(), Instant.MIN).valid()).isZero();
            }
            assertThatThrownBy(() -> store.ingestAll(List.of())).isInstanceOf(AttestationRejectedException.class)
                    .hasMessageContaining("1 to 1000");
            assertThat(store.ingestAll(good)).extracting(i -> i.attestation().keyId()).containsExactly(keyId, keyId, keyId);
        }
        try (Database db = Database.open(settings(kind))) {
            AttestationStore reloaded = new AttestationStore(db, Clock.systemUTC());
            for (Occurrence o : good) {
                assertThat(reloaded.index().lookup(attestor, ArtifactUrl.parse(o.resourceUri()).digest(), Instant.MIN).valid())
                        .isEqualTo(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void ingest_sameAttestationAgainAndTwiceInABatch_storesAndIndexesItOnce(String kind) throws Exception {
        String attestor = "projects/p/attestors/once-" + System.nanoTime();
        KeyPair kp = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        Digest other = Digest.sha256((attestor + "-other").getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        byte[] otherPayload = SignaturePayload.forArtifact("gcr.io/p/app", other);
        try (Database db = Database.open(settings(kind))) {
            AttestationStore store = new AttestationStore(db, Clock.systemUTC());
            String keyId = attestorWithKey(store, attestor, kp);
            Ingested first = store.ingest(occurrence(attestor, keyId, kp, digest, payload));
            assertThat(first.created()).isTrue();
            // A new signature over the same payload by the same key vouches for nothing new.
            Ingested again = store.ingest(occurrence(attestor, keyId, kp, digest, payload));
            assertThat(again.created()).isFalse();
            assertThat(again.attestation()).isEqualTo(first.attestation());
            List<Ingested> batch = store.ingestAll(List.of(occurrence(attestor, keyId, kp, other, otherPayload),
                    occurrence(attestor, keyId, kp, other, otherPayload), occurrence(attestor, keyId, kp, digest, payload)));
            assertThat(batch).extracting(Ingested::created).containsExactly(true, false, false);
            assertThat(batch.get(1).attestation()).isEqualTo(batch.get(0).attestation());
            assertThat(store.index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);
            assertThat(store.index().lookup(attestor, other, Instant.MIN).valid()).isEqualTo(1);
            assertThat(rows(db, attestor)).isEqualTo(2);
        }
        try (Database db = Database.open(settings(kind))) {
            AttestationStore reopened = new AttestationStore(db, Clock.systemUTC());
            assertThat(reopened.index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);
            String keyId = AttestorKey.Pkix.defaultId(kp.getPublic());
            assertThat(reopened.ingest(occurrence(attestor, keyId, kp, digest, payload)).created()).isFalse();
            assertThat(rows(db, attestor)).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void ingest_sameAttestationThroughTwoReplicas_isStoredOnceAndBothAnswerTheStoredOne(String kind) throws Exception {
        String attestor = "projects/p/attestors/replicas-" + System.nanoTime();
        KeyPair kp = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        Digest other = Digest.sha256((attestor + "-other").getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        try (Database db = Database.open(settings(kind))) {
            AttestationStore a = new AttestationStore(db, Clock.systemUTC());
            String keyId = attestorWithKey(a, attestor, kp);
            AttestationStore b = new AttestationStore(db, Clock.systemUTC());   // loaded before a stores it
            Ingested viaA = a.ingest(occurrence(attestor, keyId, kp, digest, payload));
            // b does not know it: the store's unique index refuses the row, and b answers with a's.
            List<Ingested> viaB = b.ingestAll(List.of(occurrence(attestor, keyId, kp, digest, payload),
                    occurrence(attestor, keyId, kp, other, SignaturePayload.forArtifact("gcr.io/p/app", other))));
            assertThat(viaB).extracting(Ingested::created).containsExactly(false, true);
            assertThat(viaB.get(0).attestation()).isEqualTo(viaA.attestation());
            assertThat(b.index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);
            assertThat(rows(db, attestor)).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void catchUp_attestorKeyAttestationAndRevocationOnAnotherReplica_reachThisOneWithoutReloadingIt(String kind) throws Exception {
        String attestor = "projects/p/attestors/follow-" + System.nanoTime();
        KeyPair kp = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        try (Database db = Database.open(settings(kind))) {
            AttestationStore writer = new AttestationStore(db, Clock.systemUTC());
            ChangeFeed feed = ChangeFeed.open(db, Clock.systemUTC());
            AttestationStore follower = new AttestationStore(db, Clock.systemUTC(), feed, AttestationStateRef.standalone());
            AttestationIndex before = follower.index();

            String keyId = attestorWithKey(writer, attestor, kp);
            writer.ingest(occurrence(attestor, keyId, kp, digest, payload));
            assertThat(feed.catchUp()).isTrue();
            assertThat(follower.index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);
            // The follower knows the attestor's key too: it verifies an attestation submitted to it.
            Digest other = Digest.sha256((attestor + "-b").getBytes(StandardCharsets.UTF_8));
            assertThat(follower.ingest(occurrence(attestor, keyId, kp, other, SignaturePayload.forArtifact("gcr.io/p/app", other)))
                    .created()).isTrue();

            writer.revokeKey(attestor, keyId);
            assertThat(follower.index().lookup(attestor, digest, Instant.MIN).revoked()).as("not before its catch-up").isZero();
            assertThat(feed.catchUp()).isTrue();
            assertThat(follower.index().lookup(attestor, digest, Instant.MIN)).isEqualTo(new AttestationIndex.Lookup(0, 1, 0));
            assertThat(before.lookup(attestor, digest, Instant.MIN)).as("an index once read never changes")
                    .isEqualTo(new AttestationIndex.Lookup(0, 0, 0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void revokeKey_addedThroughAnotherReplicaJustNow_isRevokedNotRefusedAsUnknown(String kind) throws Exception {
        String attestor = "projects/p/attestors/just-now-" + System.nanoTime();
        try (Database db = Database.open(settings(kind))) {
            AttestationStore follower = new AttestationStore(db, Clock.systemUTC());
            AttestationStore writer = new AttestationStore(db, Clock.systemUTC());
            String keyId = attestorWithKey(writer, attestor, p256());

            follower.revokeKey(attestor, keyId);

            assertThat(follower.index().isRevoked(attestor, keyId)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void catchUp_attestorDeletedAndMadeAgainBeforeThisReplicaFollowed_keepsNoneOfTheOldKeysOrAttestations(String kind)
            throws Exception {
        String attestor = "projects/p/attestors/again-" + System.nanoTime();
        KeyPair old = p256();
        KeyPair now = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        try (Database db = Database.open(settings(kind))) {
            AttestationStore writer = new AttestationStore(db, Clock.systemUTC());
            ChangeFeed feed = ChangeFeed.open(db, Clock.systemUTC());
            AttestationStore follower = new AttestationStore(db, Clock.systemUTC(), feed, AttestationStateRef.standalone());
            String oldKey = attestorWithKey(writer, attestor, old);
            writer.ingest(occurrence(attestor, oldKey, old, digest, payload));
            assertThat(feed.catchUp()).isTrue();
            assertThat(follower.index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);

            // Deleted and made again with another key while this replica did not follow: it applies the
            // deletion when the name exists again, and must not keep what it knew of the old one.
            writer.deleteAttestor(attestor);
            String newKey = attestorWithKey(writer, attestor, now);
            assertThat(feed.catchUp()).isTrue();

            assertThat(follower.index().lookup(attestor, digest, Instant.MIN).valid()).as("the old attestation").isZero();
            Digest other = Digest.sha256((attestor + "-b").getBytes(StandardCharsets.UTF_8));
            byte[] otherPayload = SignaturePayload.forArtifact("gcr.io/p/app", other);
            assertThatThrownBy(() -> follower.ingest(occurrence(attestor, oldKey, old, other, otherPayload)))
                    .as("the deleted attestor's key").isInstanceOf(AttestationRejectedException.class);
            assertThat(follower.ingest(occurrence(attestor, newKey, now, other, otherPayload)).created()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void deleteAttestor_throughAnotherReplica_goesWithItsKeysAndAttestationsAndARecreatedOneStartsEmpty(String kind)
            throws Exception {
        String attestor = "projects/p/attestors/gone-" + System.nanoTime();
        KeyPair kp = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        try (Database db = Database.open(settings(kind))) {
            AttestationStore writer = new AttestationStore(db, Clock.systemUTC());
            ChangeFeed feed = ChangeFeed.open(db, Clock.systemUTC());
            AttestationStore follower = new AttestationStore(db, Clock.systemUTC(), feed, AttestationStateRef.standalone());
            String keyId = attestorWithKey(writer, attestor, kp);
            writer.ingest(occurrence(attestor, keyId, kp, digest, payload));
            assertThat(feed.catchUp()).isTrue();
            assertThat(follower.index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);

            writer.deleteAttestor(attestor);

            assertThat(writer.attestor(attestor)).isEmpty();
            assertThat(writer.index().lookup(attestor, digest, Instant.MIN).valid()).isZero();
            assertThat(rows(db, attestor)).isZero();
            assertThat(feed.catchUp()).isTrue();
            assertThat(follower.index().lookup(attestor, digest, Instant.MIN).valid()).as("the other replica follows").isZero();
            assertThatThrownBy(() -> follower.ingest(occurrence(attestor, keyId, kp, digest, payload)))
                    .hasMessageContaining("no attestor named " + attestor);
            // The same name again, with the same key: the old attestation is gone, not inherited.
            attestorWithKey(follower, attestor, kp);
            assertThat(follower.index().lookup(attestor, digest, Instant.MIN).valid()).isZero();
            assertThat(follower.ingest(occurrence(attestor, keyId, kp, digest, payload)).created()).isTrue();
            assertThat(new AttestationStore(db, Clock.systemUTC()).index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void attestors_withKeysOneRevoked_listsThemAsStored(String kind) throws Exception {
        String attestor = "projects/p/attestors/listed-" + System.nanoTime();
        try (Database db = Database.open(settings(kind))) {
            AttestationStore store = new AttestationStore(db, Clock.systemUTC());
            String keyId = attestorWithKey(store, attestor, p256());
            store.revokeKey(attestor, keyId);

            StoredAttestor a = store.attestors().stream().filter(x -> x.name().equals(attestor)).findFirst().orElseThrow();
            assertThat(a.keys()).singleElement().satisfies(k -> {
                assertThat(k.id()).isEqualTo(keyId);
                assertThat(k.kind()).isEqualTo("PKIX");
                assertThat(k.algorithm()).isEqualTo("ECDSA_P256_SHA256");
                assertThat(k.revoked()).isTrue();
            });
            assertThatThrownBy(() -> store.deleteAttestor(attestor + "-none")).isInstanceOfSatisfying(AttestationRejectedException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ATTESTOR));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void ingest_grafeasNoteName_isTheAttestorOfThatNameOrRefusedAsUnknownAttestor(String kind) throws Exception {
        String id = "noted-" + System.nanoTime();
        String attestor = "projects/p/attestors/" + id;
        KeyPair kp = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        try (Database db = Database.open(settings(kind))) {
            AttestationStore store = new AttestationStore(db, Clock.systemUTC());
            String signer = attestorWithKey(store, attestor, kp);

            Ingested i = store.ingest(occurrence("projects/p/notes/" + id, signer, kp, digest, payload));

            assertThat(i.attestation().attestor()).isEqualTo(attestor);
            assertThat(store.index().lookup(attestor, digest, Instant.MIN).valid()).isEqualTo(1);
            assertThatThrownBy(() -> store.ingest(occurrence("projects/p/notes/none", signer, kp, digest, payload)))
                    .isInstanceOfSatisfying(AttestationRejectedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ATTESTOR);
                        assertThat(e.getMessage()).contains("note projects/p/notes/none belongs to no attestor");
                    });
            assertThatThrownBy(() -> store.ingest(occurrence("projects/p/attestors/none", signer, kp, digest, payload)))
                    .isInstanceOfSatisfying(AttestationRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ATTESTOR));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void ingest_noteAnAttestorWasMadeWith_isThatAttestorsOnEveryReplicaAndAfterARestartAndItsNamesNoteIsNot(String kind)
            throws Exception {
        String id = "bound-" + System.nanoTime();
        String attestor = "projects/p/attestors/" + id;
        String note = "projects/q/notes/" + id;
        KeyPair kp = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        try (Database db = Database.open(settings(kind))) {
            AttestationStore writer = new AttestationStore(db, Clock.systemUTC());
            ChangeFeed feed = ChangeFeed.open(db, Clock.systemUTC());
            AttestationStore other = new AttestationStore(db, Clock.systemUTC(), feed, AttestationStateRef.standalone());
            writer.addAttestor(attestor, "", note);
            String keyId = writer.addKey(attestor, Pem.write(kp.getPublic()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256), Optional.empty());

            assertThat(other.ingest(occurrence(note, keyId, kp, digest, payload)).attestation().attestor()).isEqualTo(attestor);
            assertThat(writer.attestor(attestor).orElseThrow().noteReference()).isEqualTo(note);
            assertThatThrownBy(() -> writer.ingest(occurrence("projects/p/notes/" + id, keyId, kp, digest, payload)))
                    .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ATTESTOR));
        }
        try (Database db = Database.open(settings(kind))) {
            AttestationStore restarted = new AttestationStore(db, Clock.systemUTC());
            assertThat(restarted.ingest(occurrence(note, restarted.attestor(attestor).orElseThrow().keys().get(0).id(), kp, digest,
                    payload)).attestation().attestor()).isEqualTo(attestor);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void addAttestor_noteBoundToAnotherAttestor_isRefusedNamingItAndStoresNothing(String kind) throws Exception {
        String id = "taken-" + System.nanoTime();
        try (Database db = Database.open(settings(kind))) {
            AttestationStore store = new AttestationStore(db, Clock.systemUTC());
            store.addAttestor("projects/p/attestors/" + id, "");   // bound to projects/p/notes/<id> by default

            assertThatThrownBy(() -> store.addAttestor("projects/q/attestors/" + id, "", "projects/p/notes/" + id))
                    .isInstanceOfSatisfying(InvalidFieldException.class, e -> {
                        assertThat(e.field()).isEqualTo("noteReference");
                        assertThat(e.getMessage()).contains("is the note of attestor projects/p/attestors/" + id);
                    });
            assertThat(store.attestor("projects/q/attestors/" + id)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void open_attestorStoredWithoutANote_isBoundToItsNamesNote(String kind) throws Exception {
        String id = "older-" + System.nanoTime();
        String attestor = "projects/p/attestors/" + id;
        KeyPair kp = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        try (Database db = Database.open(settings(kind))) {
            attestorWithKey(new AttestationStore(db, Clock.systemUTC()), attestor, kp);
            try (Connection c = db.connection();   // as a row made before notes were stored
                 PreparedStatement ps = c.prepareStatement("UPDATE attestors SET note_reference = NULL WHERE name = ?")) {
                ps.setString(1, attestor);
                assertThat(ps.executeUpdate()).isOne();
            }
        }
        try (Database db = Database.open(settings(kind))) {
            AttestationStore store = new AttestationStore(db, Clock.systemUTC());
            String keyId = store.attestor(attestor).orElseThrow().keys().get(0).id();
            assertThat(store.ingest(occurrence("projects/p/notes/" + id, keyId, kp, digest, payload)).attestation().attestor())
                    .isEqualTo(attestor);
            assertThat(store.attestor(attestor).orElseThrow().noteReference()).isEqualTo("projects/p/notes/" + id);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void ingest_attestorDeletedThroughAnotherReplicaNotFollowedYet_isRefusedAndStoresNothing(String kind) throws Exception {
        String attestor = "projects/p/attestors/racing-" + System.nanoTime();
        KeyPair kp = p256();
        Digest digest = Digest.sha256(attestor.getBytes(StandardCharsets.UTF_8));
        try (Database db = Database.open(settings(kind))) {
            AttestationStore writer = new AttestationStore(db, Clock.systemUTC());
            ChangeFeed feed = ChangeFeed.open(db, Clock.systemUTC());
            AttestationStore behind = new AttestationStore(db, Clock.systemUTC(), feed, AttestationStateRef.standalone());
            String keyId = attestorWithKey(writer, attestor, kp);
            assertThat(feed.catchUp()).isTrue();

            writer.deleteAttestor(attestor);   // the other replica has not caught up: it still knows the key

            assertThatThrownBy(() -> behind.ingest(occurrence(attestor, keyId, kp, digest,
                    SignaturePayload.forArtifact("gcr.io/p/app", digest))))
                    .isInstanceOfSatisfying(AttestationRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ATTESTOR));
            assertThat(rows(db, attestor)).isZero();
        }
    }

    private static String attestorWithKey(AttestationStore store, String attestor, KeyPair kp) {
        store.addAttestor(attestor, "");
        return store.addKey(attestor, Pem.write(kp.getPublic()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256), Optional.empty());
    }

    private static Occurrence occurrence(String attestor, String keyId, KeyPair kp, Digest digest, byte[] payload) throws Exception {
        return new Occurrence("gcr.io/p/app@" + digest, attestor, payload, List.of(new Occurrence.Signature(keyId, sign(kp, payload))),
                null);
    }

    private static int rows(Database db, String attestor) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM attestations WHERE attestor = ?")) {
            ps.setString(1, attestor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
