package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.image.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AskedDigestsTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static Digest digest(int i) {
        return Digest.sha256(("image " + i).getBytes(StandardCharsets.UTF_8));
    }

    private static AttestationIndex indexOf(int count) {
        List<VerifiedAttestation> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(new VerifiedAttestation("a", "k", new ArtifactUrl("gcr.io/p/app", digest(i)), START));
        }
        return AttestationIndex.EMPTY.withAttestations(all);
    }

    @Test
    void askedSince_thousandsAsked_eachReadBackAndTheOthersCountFromTheStart() {
        AttestationIndex index = indexOf(5_000);
        AskedDigests asked = AskedDigests.since(START);
        Instant later = START.plus(Duration.ofDays(10));
        for (int i = 0; i < 5_000; i += 2) {
            asked.asked(index, digest(i), later);
        }
        Instant day5 = START.plus(Duration.ofDays(5));
        for (int i = 0; i < 5_000; i++) {
            assertThat(asked.askedSince(AttestationIndex.key(digest(i)), day5)).as("image %d", i).isEqualTo(i % 2 == 0);
            assertThat(asked.askedSince(AttestationIndex.key(digest(i)), START)).as("the start is an ask").isTrue();
        }
    }

    @Test
    void asked_digestWithoutAttestations_notKept() {
        AskedDigests asked = AskedDigests.since(START);
        asked.asked(indexOf(1), digest(7), START.plus(Duration.ofDays(10)));
        assertThat(asked.askedSince(AttestationIndex.key(digest(7)), START.plus(Duration.ofDays(5)))).isFalse();
    }

    @Test
    void forget_asked_countsAsNotAskedSinceAgain() {
        AttestationIndex index = indexOf(3);
        AskedDigests asked = AskedDigests.since(START);
        Instant later = START.plus(Duration.ofDays(10));
        asked.asked(index, digest(1), later);
        asked.asked(index, digest(2), later);
        asked.forget(List.of(AttestationIndex.key(digest(1))));
        assertThat(asked.askedSince(AttestationIndex.key(digest(1)), later)).isFalse();
        assertThat(asked.askedSince(AttestationIndex.key(digest(2)), later)).isTrue();
    }

    @Test
    void notKept_recordsNothing() {
        AskedDigests.NOT_KEPT.asked(indexOf(1), digest(0), START.plus(Duration.ofDays(10)));
        assertThat(AskedDigests.NOT_KEPT.askedSince(AttestationIndex.key(digest(0)), START.plus(Duration.ofDays(5)))).isFalse();
    }
}
