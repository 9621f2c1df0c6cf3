package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditJournalTest {
    @TempDir
    Path dir;

    private static AuditJournal.Entry entry(long seq, String subject) {
        return new AuditJournal.Entry(seq, new AuditEvent(Instant.parse("2026-11-25T08:00:00.123456Z"), "registryauth",
                "token", subject, "2001:db8::1", "repository:team/app:pull", "allow", "acl[3] \"team\"", "d"));
    }

    private static List<AuditJournal.Entry> replayAll(AuditJournal journal, long after) {
        List<AuditJournal.Entry> out = new ArrayList<>();
        journal.replay(after, 1_000, out::addAll);
        return out;
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void replay_appendedEntries_returnsEveryFieldUnchanged() throws Exception {
        try (AuditJournal journal = new AuditJournal(dir)) {
            journal.append(List.of(entry(1, "alice"), entry(2, "bob\nnewline \"quoted\" ünï 🐳 \u0000")));
            journal.append(List.of(entry(3, "carol")));
        }
        List<AuditJournal.Entry> back = replayAll(new AuditJournal(dir), 0);
        assertThat(back).containsExactly(entry(1, "alice"), entry(2, "bob\nnewline \"quoted\" ünï 🐳 \u0000"),
                entry(3, "carol"));
    }

    @Test
    void replay_afterSequenceNumber_skipsWhatTheStoreHasAndReportsTheHighest() throws Exception {
        AuditJournal journal = new AuditJournal(dir);
        journal.append(LongStream.rangeClosed(1, 10).mapToObj(i -> entry(i, "u" + i)).toList());
        journal.close();
        List<AuditJournal.Entry> out = new ArrayList<>();
        long highest = journal.replay(7, 2, chunk -> {
            assertThat(chunk).hasSizeLessThanOrEqualTo(2);
            out.addAll(chunk);
        });
        assertThat(highest).isEqualTo(10);
        assertThat(out).extracting(AuditJournal.Entry::seq).containsExactly(8L, 9L, 10L);
    }

    @Test
    void replay_unfinishedLastLine_isSkippedAndTheRestKept() throws Exception {
        try (AuditJournal journal = new AuditJournal(dir)) {
            journal.append(List.of(entry(1, "alice"), entry(2, "bob")));
        }
        Files.writeString(segments().get(0), "{\"seq\":3,\"time\":\"2026-11-25T08:", StandardOpenOption.APPEND);
        assertThat(replayAll(new AuditJournal(dir), 0)).extracting(AuditJournal.Entry::seq).containsExactly(1L, 2L);
    }

    @Test
    void replay_damagedCompleteLine_failsNamingFileAndLine() throws Exception {
        try (AuditJournal journal = new AuditJournal(dir)) {
            journal.append(List.of(entry(1, "alice")));
        }
        Path segment = segments().get(0);
        Files.writeString(segment, "not json at all\n", StandardOpenOption.APPEND);
        assertThatThrownBy(() -> replayAll(new AuditJournal(dir), 0)).isInstanceOf(AuditException.class)
                .hasMessageContaining(segment.getFileName().toString()).hasMessageContaining("line 2");
    }

    @Test
    void replay_sequenceGoingBackwards_failsAsDamaged() throws Exception {
        try (AuditJournal journal = new AuditJournal(dir)) {
            journal.append(List.of(entry(5, "a")));
            journal.append(List.of(entry(4, "b")));
        }
        assertThatThrownBy(() -> replayAll(new AuditJournal(dir), 0)).isInstanceOf(AuditException.class)
                .hasMessageContaining("line 2").hasMessageContaining("does not follow 5");
    }

    @Test
    void append_segmentFull_startsANewSegmentNamedAfterItsFirstEntry() throws Exception {
        try (AuditJournal journal = new AuditJournal(dir, 300)) {
            for (long i = 1; i <= 6; i++) {
                journal.append(List.of(entry(i, "user" + i)));
            }
        }
        List<String> names = segments().stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).hasSizeGreaterThan(1).allMatch(n -> n.matches("events-\\d{19}\\.jsonl"));
        assertThat(names.get(0)).isEqualTo("events-0000000000000000001.jsonl");
        assertThat(replayAll(new AuditJournal(dir), 0)).extracting(AuditJournal.Entry::seq)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void deleteThrough_keepsTheSegmentsThatHoldUnmovedEntriesAndTheCurrentOne() throws Exception {
        AuditJournal journal = new AuditJournal(dir, 1);   // every append starts a segment
        for (long i = 1; i <= 4; i++) {
            journal.append(List.of(entry(i, "u")));
        }
        journal.deleteThrough(2);
        assertThat(replayAll(journal, 0)).extracting(AuditJournal.Entry::seq).containsExactly(3L, 4L);
        journal.deleteThrough(4);
        assertThat(replayAll(journal, 0)).extracting(AuditJournal.Entry::seq).containsExactly(4L);
        journal.deleteAll();
        assertThat(segments()).isEmpty();
    }

    @Test
    void wellFormed_halfASurrogatePair_isReplacedSoTheLineStaysValid() throws Exception {
        String broken = "a\uD83Db" + "\uDC33";
        assertThat(AuditEvent.wellFormed(broken)).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(AuditEvent.wellFormed("whale 🐳")).isEqualTo("whale 🐳");
        try (AuditJournal journal = new AuditJournal(dir)) {
            journal.append(List.of(entry(1, broken)));
        }
        assertThat(new String(Files.readAllBytes(segments().get(0)), StandardCharsets.UTF_8)).endsWith("}\n");
        assertThat(replayAll(new AuditJournal(dir), 0).get(0).event().subject()).isEqualTo("a\uFFFDb\uFFFD");
    }

    @Test
    void clip_cutInsideASurrogatePair_keepsWholeCharacters() {
        String subject = "x".repeat(4094) + "🐳🐳";
        AuditEvent e = new AuditEvent(Instant.now(), "c", "a", subject, null, null, "deny", null, null);
        assertThat(e.subject()).endsWith("x…").hasSizeLessThanOrEqualTo(4096);
    }
}
