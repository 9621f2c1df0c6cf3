package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.image.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttestationIndexTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void withAttestations_hundredThousand_retainAtMost120BytesEachOnTheHeap() {
        long before = heapAfterGc();
        AttestationIndex index = AttestationIndex.EMPTY;
        for (int batch = 0; batch < 100; batch++) {
            List<VerifiedAttestation> added = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                added.add(attestation("ci", "key-" + (i % 3), digest(batch * 1000 + i), T.plusSeconds(batch)));
            }
            index = index.withAttestations(added);
        }
        long retained = heapAfterGc() - before;
        assertThat(index.size()).isEqualTo(100_000);
        assertThat(retained / 100_000).isLessThanOrEqualTo(120);
        assertThat(index.residentBytes()).isBetween(retained / 2, retained * 2);
        assertThat(index.lookup("ci", digest(54_321), T).valid()).isEqualTo(1);
        assertThat(index.lookup("ci", digest(100_001), T).valid()).isZero();
    }

    @Test
    void lookup_severalAttestorsKeysAndTimesForOneDigest_countsEachByItsState() {
        Digest d = digest(7);
        AttestationIndex index = AttestationIndex.EMPTY.withAttestations(List.of(attestation("ci", "k1", d, T),
                attestation("ci", "k2", d, T.minusSeconds(60)), attestation("qa", "k1", d, T), attestation("ci", "k1", digest(8), T)));
        assertThat(index.lookup("ci", d, T)).isEqualTo(new AttestationIndex.Lookup(1, 0, 1));
        assertThat(index.withRevoked("ci", "k1").lookup("ci", d, T)).isEqualTo(new AttestationIndex.Lookup(0, 1, 1));
        assertThat(index.withRevoked("ci", "k1").lookup("qa", d, T)).isEqualTo(new AttestationIndex.Lookup(1, 0, 0));
        assertThat(index.lookup("nobody", d, T)).isEqualTo(new AttestationIndex.Lookup(0, 0, 0));
    }

    @Test
    void withAttestations_sameAttestationTwice_holdsItOnceAndLeavesTheOldIndexAsItWas() {
        VerifiedAttestation a = attestation("ci", "k1", digest(1), T);
        AttestationIndex one = AttestationIndex.EMPTY.withAttestations(List.of(a, a));
        AttestationIndex again = one.withAttestations(List.of(a));
        AttestationIndex two = one.withAttestations(List.of(attestation("ci", "k1", digest(2), T)));
        assertThat(one.size()).isEqualTo(1);
        assertThat(again).isSameAs(one);
        assertThat(two.size()).isEqualTo(2);
        assertThat(one.lookup("ci", digest(2), T).valid()).isZero();
        assertThat(two.lookup("ci", digest(2), T).valid()).isEqualTo(1);
    }

    @Test
    void lookup_sha512Digest_matchesOnlyThatDigest() {
        Digest long1 = new Digest("sha512", "ab".repeat(64));
        Digest long2 = new Digest("sha512", "ab".repeat(63) + "ac");
        AttestationIndex index = AttestationIndex.EMPTY.withAttestations(List.of(attestation("ci", "k1", long1, T)));
        assertThat(index.lookup("ci", long1, T).valid()).isEqualTo(1);
        assertThat(index.lookup("ci", long2, T).valid()).isZero();
        assertThat(index.holds("ci", "k1", long1)).isTrue();
        assertThat(index.holds("ci", "k2", long1)).isFalse();
    }

    @Test
    void build_entriesAsAStartReadsThem_answerAsTheIndexTheirChangesMade() {
        List<VerifiedAttestation> all = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            all.add(attestation(i % 7 == 0 ? "qa" : "ci", "key-" + (i % 3), digest(i % 40_000), T.plusSeconds(i % 5)));
        }
        all.add(attestation("ci", "k1", new Digest("sha512", "ab".repeat(64)), T));
        for (int i = 0; i < 300; i++) {   // one crowded shard: sorted another way than the sixty-odd of a shard's share
            all.add(attestation("qa", "key-" + (i % 2), digest(7), T.minusSeconds(i)));
        }
        all.add(all.get(0));   // the same entry twice is held once, as a change holds it
        IndexBuilder builder = new IndexBuilder(10);   // fewer expected than come: shards grow
        for (VerifiedAttestation a : all) {
            builder.add(builder.signer(a.attestor(), a.keyId()), AttestationEntryRows.bytes(a.artifact().digest()),
                    java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, a.createdAt()));
        }
        AttestationIndex built = builder.build();
        AttestationIndex changed = AttestationIndex.EMPTY.withAttestations(all);
        assertThat(built.size()).isEqualTo(changed.size()).isEqualTo(50_301);
        assertThat(built.residentBytes()).isEqualTo(changed.residentBytes());
        for (int i = 0; i < 40_000; i += 97) {
            for (String attestor : List.of("ci", "qa")) {
                assertThat(built.lookup(attestor, digest(i), T.plusSeconds(2))).isEqualTo(changed.lookup(attestor, digest(i), T.plusSeconds(2)));
            }
        }
        assertThat(built.holds("ci", "k1", new Digest("sha512", "ab".repeat(64)))).isTrue();
        assertThat(built.lookup("qa", digest(7), T.minusSeconds(99))).isEqualTo(changed.lookup("qa", digest(7), T.minusSeconds(99)))
                .isEqualTo(new AttestationIndex.Lookup(101, 0, 200));   // the first loop put one at T + 2 s
        assertThat(built.withRevoked("ci", "key-1").lookup("ci", digest(1), T)).isEqualTo(changed.withRevoked("ci", "key-1")
                .lookup("ci", digest(1), T));
    }

    // Three collections: whatever a first one leaves for later is gone by the third.
    private static long heapAfterGc() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }

    private static Digest digest(int i) {
        return Digest.sha256(("image " + i).getBytes(StandardCharsets.UTF_8));
    }

    private static VerifiedAttestation attestation(String attestor, String key, Digest d, Instant t) {
        return new VerifiedAttestation(attestor, key, new ArtifactUrl("gcr.io/p/app", d), t);
    }
}
