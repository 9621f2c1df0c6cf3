package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFilesTest {
    @TempDir
    Path dir;

    private static AuditFiles.Entry entry(long seq, String subject) {
        return new AuditFiles.Entry(seq, new AuditEvent(Instant.parse("2026-11-25T08:00:00.123456Z"), "registryauth",
                "token", subject, "2001:db8::1", "repository:team/app:pull", "allow", "acl[3] \"team\"", "d"));
    }

    private static List<Long> seqs(List<AuditFiles.Entry> entries) {
        return entries.stream().map(AuditFiles.Entry::seq).toList();
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void newest_appendedEntries_returnsEveryFieldUnchangedNewestFirst() throws Exception {
        try (AuditFiles files = new AuditFiles(dir)) {
            files.append(List.of(entry(1, "alice"), entry(2, "bob\nnewline \"quoted\" ünï 🐳 \u0000")));
            files.append(List.of(entry(3, "carol")));
        }
        assertThat(new AuditFiles(dir).newest(10)).containsExactly(entry(3, "carol"),
                entry(2, "bob\nnewline \"quoted\" ünï 🐳 \u0000"), entry(1, "alice"));
    }

    @Test
    void newest_limitBelowWhatIsThere_returnsOnlyTheNewest() throws Exception {
        try (AuditFiles files = new AuditFiles(dir)) {
            files.append(LongStream.rangeClosed(1, 10).mapToObj(i -> entry(i, "u" + i)).toList());
        }
        assertThat(seqs(new AuditFiles(dir).newest(3))).containsExactly(10L, 9L, 8L);
        assertThat(new AuditFiles(dir).newest(0)).isEmpty();
    }

    @Test
    void newest_moreLinesThanTheFirstWindowHolds_widensTheWindowAndKeepsLinesWhole() throws Exception {
        String big = "x".repeat(3_000);   // ~3 KB a line: the first 64 KB window holds about 20
        try (AuditFiles files = new AuditFiles(dir)) {
            files.append(LongStream.rangeClosed(1, 200).mapToObj(i -> entry(i, big + i)).toList());
        }
        List<AuditFiles.Entry> back = new AuditFiles(dir).newest(150);
        assertThat(seqs(back)).containsExactlyElementsOf(LongStream.iterate(200, i -> i - 1).limit(150).boxed().toList());
        assertThat(back.get(149).event().subject()).isEqualTo(big + 51);
    }

    @Test
    void newest_unfinishedLastLine_isSkippedAndTheRestKept() throws Exception {
        try (AuditFiles files = new AuditFiles(dir)) {
            files.append(List.of(entry(1, "alice"), entry(2, "bob")));
        }
        Files.writeString(segments().get(0), "{\"seq\":3,\"time\":\"2026-11-25T08:", StandardOpenOption.APPEND);
        AuditFiles files = new AuditFiles(dir);
        assertThat(seqs(files.newest(10))).containsExactly(2L, 1L);
        assertThat(files.lastSeq()).isEqualTo(2);
    }

    @Test
    void newest_damagedCompleteLine_failsNamingFileAndOffset() throws Exception {
        try (AuditFiles files = new AuditFiles(dir)) {
            files.append(List.of(entry(1, "alice")));
        }
        Path segment = segments().get(0);
        long offset = Files.size(segment);
        Files.writeString(segment, "not json at all\n", StandardOpenOption.APPEND);
        assertThatThrownBy(() -> new AuditFiles(dir).newest(10)).isInstanceOf(AuditException.class)
                .hasMessageContaining(segment.getFileName().toString()).hasMessageContaining("byte " + offset);
    }

    @Test
    void newest_sequenceGoingBackwards_failsAsDamaged() throws Exception {
        try (AuditFiles files = new AuditFiles(dir)) {
            files.append(List.of(entry(5, "a")));
            files.append(List.of(entry(4, "b")));
        }
        assertThatThrownBy(() -> new AuditFiles(dir).newest(10)).isInstanceOf(AuditException.class)
                .hasMessageContaining("does not come before 4");
    }

    @Test
    void append_segmentFull_startsANewSegmentNamedAfterItsFirstEntryAndNewestReadsAcrossThem() throws Exception {
        try (AuditFiles files = new AuditFiles(dir, 300)) {
            for (long i = 1; i <= 6; i++) {
                files.append(List.of(entry(i, "user" + i)));
            }
        }
        List<String> names = segments().stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).hasSizeGreaterThan(1).allMatch(n -> n.matches("events-\\d{19}\\.jsonl"));
        assertThat(names.get(0)).isEqualTo("events-0000000000000000001.jsonl");
        assertThat(seqs(new AuditFiles(dir).newest(100))).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
    }

    @Test
    void lastSeq_newestSegmentWithOnlyATornLine_isTheNumberInItsName() throws Exception {
        assertThat(new AuditFiles(dir).lastSeq()).isZero();
        try (AuditFiles files = new AuditFiles(dir)) {
            files.append(List.of(entry(1, "a"), entry(2, "b")));
        }
        assertThat(new AuditFiles(dir).lastSeq()).isEqualTo(2);
        Files.writeString(dir.resolve("events-0000000000000000009.jsonl"), "{\"seq\":9,");
        assertThat(new AuditFiles(dir).lastSeq()).isEqualTo(9);
    }

    @Test
    void wellFormed_halfASurrogatePair_isReplacedSoTheLineStaysValid() throws Exception {
        String broken = "a\uD83Db" + "\uDC33";
        assertThat(AuditEvent.wellFormed(broken)).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(AuditEvent.wellFormed("whale 🐳")).isEqualTo("whale 🐳");
        try (AuditFiles files = new AuditFiles(dir)) {
            files.append(List.of(entry(1, broken)));
        }
        assertThat(new String(Files.readAllBytes(segments().get(0)), StandardCharsets.UTF_8)).endsWith("}\n");
        assertThat(new AuditFiles(dir).newest(1).get(0).event().subject()).isEqualTo("a\uFFFDb\uFFFD");
    }

    @Test
    void clip_cutInsideASurrogatePair_keepsWholeCharacters() {
        String subject = "x".repeat(4094) + "🐳🐳";
        AuditEvent e = new AuditEvent(Instant.now(), "c", "a", subject, null, null, "deny", null, null);
        assertThat(e.subject()).endsWith("x…").hasSizeLessThanOrEqualTo(4096);
    }
}
