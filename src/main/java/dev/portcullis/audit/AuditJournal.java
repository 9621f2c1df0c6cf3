package dev.portcullis.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Audit events in append-only segment files, one JSON line each with its sequence number. One
 * {@link #append} is one {@code write(2)}: once it returns, the events survive a crash of this
 * process. Only the writer thread appends; any thread may replay or delete segments.
 */
final class AuditJournal implements AutoCloseable {
    /** A journaled event and its place in the sequence. */
    record Entry(long seq, AuditEvent event) {}

    /** Receives replayed entries a chunk at a time. */
    interface ChunkSink {
        void accept(List<Entry> chunk) throws Exception;
    }

    private static final long SEGMENT_BYTES = 8L << 20;
    private static final Pattern NAME = Pattern.compile("events-(\\d{19})\\.jsonl");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper();

    private final Path dir;
    private final long segmentBytes;
    private FileChannel current;
    private long currentBytes;

    AuditJournal(Path dir) {
        this(dir, SEGMENT_BYTES);
    }

    AuditJournal(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        try {
            if (POSIX && !Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new AuditException("cannot create the audit journal directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the entries (in sequence order) with one append; a new segment starts when the current one is full. */
    void append(List<Entry> entries) throws IOException {
        if (current == null || currentBytes >= segmentBytes) {
            startSegment(entries.get(0).seq());
        }
        ByteBuffer buf = ByteBuffer.wrap(encode(entries));
        try {
            while (buf.hasRemaining()) {
                currentBytes += current.write(buf);
            }
        } catch (IOException e) {
            // The segment may end in half a line now: the next append starts a fresh one, and replay
            // skips a segment's unfinished last line.
            closeQuietly();
            throw e;
        }
    }

    private void startSegment(long firstSeq) throws IOException {
        closeQuietly();
        Path file = dir.resolve("events-%019d.jsonl".formatted(firstSeq));
        FileAttribute<?>[] attrs = POSIX && !Files.exists(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        current = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), attrs);
        currentBytes = current.size();
    }

    private static byte[] encode(List<Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (Entry entry : entries) {
                AuditEvent e = entry.event();
                g.writeStartObject();
                g.writeNumberField("seq", entry.seq());
                g.writeStringField("time", e.time().toString());
                g.writeStringField("capability", e.capability());
                g.writeStringField("action", e.action());
                g.writeStringField("subject", e.subject());
                g.writeStringField("client_ip", e.clientIp());
                g.writeStringField("object", e.object());
                g.writeStringField("decision", e.decision());
                g.writeStringField("rule", e.rule());
                g.writeStringField("detail", e.detail());
                g.writeEndObject();
                g.flush();
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /**
     * Hands every entry with a sequence number above {@code afterSeq} to {@code sink}, in order, at
     * most {@code chunk} at a time, and returns the highest sequence number found (or {@code afterSeq}).
     */
    long replay(long afterSeq, int chunk, ChunkSink sink) {
        long highest = afterSeq;
        for (Segment segment : segments()) {
            List<Entry> pending = new ArrayList<>(chunk);
            for (Entry entry : read(segment.file())) {
                highest = Math.max(highest, entry.seq());
                if (entry.seq() > afterSeq) {
                    pending.add(entry);
                }
                if (pending.size() == chunk) {
                    deliver(sink, pending);
                }
            }
            deliver(sink, pending);
        }
        return highest;
    }

    private static void deliver(ChunkSink sink, List<Entry> pending) {
        if (pending.isEmpty()) {
            return;
        }
        try {
            sink.accept(List.copyOf(pending));
        } catch (Exception e) {
            throw new AuditException("cannot copy the audit journal into the store: " + e.getMessage(), e);
        }
        pending.clear();
    }

    private static List<Entry> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AuditException("cannot read the audit journal " + file + ": " + e.getMessage(), e);
        }
        List<Entry> out = new ArrayList<>();
        int start = 0;
        int line = 0;
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            line++;
            Entry entry = parse(file, line, new String(bytes, start, i - start, StandardCharsets.UTF_8));
            if (entry.seq() <= previous) {
                throw corrupt(file, line, "its sequence number " + entry.seq() + " does not follow " + previous);
            }
            previous = entry.seq();
            out.add(entry);
            start = i + 1;
        }
        // Bytes after the last newline are an append the process died in: its callers were never
        // answered, so the half-written events were never decisions that took effect.
        return out;
    }

    private static Entry parse(Path file, int line, String text) {
        long seq;
        AuditEvent e;
        try {
            JsonNode n = READER.readTree(text);
            seq = n.required("seq").asLong();
            e = new AuditEvent(Instant.parse(n.required("time").asText()), n.required("capability").asText(),
                    n.required("action").asText(), n.path("subject").asText(), n.path("client_ip").asText(),
                    n.path("object").asText(), n.required("decision").asText(), n.path("rule").asText(),
                    n.path("detail").asText());
        } catch (IOException | RuntimeException notAnEntry) {
            throw corrupt(file, line, "it is not a journal entry (" + notAnEntry.getMessage() + ")");
        }
        if (seq < 1) {
            throw corrupt(file, line, "its sequence number " + seq + " is not positive");
        }
        return new Entry(seq, e);
    }

    private static AuditException corrupt(Path file, int line, String why) {
        return new AuditException("audit journal " + file + " line " + line + " is damaged: " + why
                + "; no event was lost yet, so Portcullis stops rather than guess: repair or move the file aside", null);
    }

    /** Deletes every finished segment whose entries all have sequence numbers up to {@code movedSeq}. */
    void deleteThrough(long movedSeq) throws IOException {
        List<Segment> all = segments();
        for (int i = 0; i + 1 < all.size(); i++) {
            if (all.get(i + 1).firstSeq() - 1 <= movedSeq) {
                Files.deleteIfExists(all.get(i).file());
            }
        }
    }

    /** Deletes every segment; only when nothing appends and all entries are in the store. */
    void deleteAll() throws IOException {
        closeQuietly();
        for (Segment s : segments()) {
            Files.deleteIfExists(s.file());
        }
    }

    private record Segment(long firstSeq, Path file) {}

    private List<Segment> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> {
                        Matcher m = NAME.matcher(f.getFileName().toString());
                        return m.matches() ? new Segment(Long.parseLong(m.group(1)), f) : null;
                    })
                    .filter(java.util.Objects::nonNull)
                    .sorted(java.util.Comparator.comparingLong(Segment::firstSeq))
                    .toList();
        } catch (IOException e) {
            throw new AuditException("cannot list the audit journal " + dir + ": " + e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // nothing more can be written to it either way
            }
            current = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
