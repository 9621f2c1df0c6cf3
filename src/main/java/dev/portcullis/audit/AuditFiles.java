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
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Audit events in append-only segment files, one JSON line each with its sequence number. One
 * {@link #append} is one {@code write(2)}: once it returns, the events survive a crash of this
 * process. Only the writer thread appends; any thread may read the newest events.
 */
final class AuditFiles implements AutoCloseable {
    /** An event and its place in the sequence. */
    record Entry(long seq, AuditEvent event) {}

    private static final long SEGMENT_BYTES = 64L << 20;
    private static final int FIRST_WINDOW = 64 << 10;
    private static final Pattern NAME = Pattern.compile("events-(\\d{19})\\.jsonl");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper();

    private final Path dir;
    private final long segmentBytes;
    private FileChannel current;
    private long currentBytes;

    AuditFiles(Path dir) {
        this(dir, SEGMENT_BYTES);
    }

    AuditFiles(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        try {
            if (POSIX && !Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new AuditException("cannot create the audit log directory " + dir + ": " + e.getMessage(), e);
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
        FileAttribute<?>[] attrs = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        // CREATE_NEW: a segment is never written after its process, so no line of ours joins a torn one.
        current = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
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
     * The newest {@code limit} entries, newest first, read from the ends of the segments. Bytes after a
     * segment's last newline are an append the process died in (its callers were never answered) or
     * one still being written, and are not events yet.
     */
    List<Entry> newest(int limit) {
        List<Entry> out = new ArrayList<>(Math.min(limit, 10_000));
        List<Segment> all = segments();
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            readTail(all.get(i).file(), limit - out.size(), out);
        }
        return out;
    }

    /** The highest sequence number written so far, or 0 when there is none. */
    long lastSeq() {
        List<Segment> all = segments();
        for (int i = all.size() - 1; i >= 0; i--) {
            List<Entry> last = new ArrayList<>(1);
            readTail(all.get(i).file(), 1, last);
            if (!last.isEmpty()) {
                return last.get(0).seq();
            }
            if (all.get(i).firstSeq() > 0) {
                // A segment whose first append a crash cut short: its number counts as spent, so the
                // next segment gets another name and never continues the torn line.
                return all.get(i).firstSeq();
            }
        }
        return 0;
    }

    // Reads windows from the end, doubling, until `wanted` whole lines are in hand or the file is read.
    private static void readTail(Path file, int wanted, List<Entry> out) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long window = Math.min(size, FIRST_WINDOW);
            while (true) {
                byte[] bytes = new byte[(int) window];
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                long from = size - window;
                while (buf.hasRemaining() && ch.read(buf, from + buf.position()) >= 0) {
                    // read until the window is full
                }
                List<Entry> found = linesNewestFirst(file, bytes, buf.position(), from, from > 0, wanted);
                if (found.size() >= wanted || from == 0) {
                    out.addAll(found);
                    return;
                }
                window = Math.min(size, window * 2);
                if (window > Integer.MAX_VALUE - 16) {
                    throw new AuditException("audit log " + file + " has a line longer than 2 GiB", null);
                }
            }
        } catch (IOException e) {
            throw new AuditException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Entry> linesNewestFirst(Path file, byte[] bytes, int length, long offset, boolean cutAtStart,
                                                int wanted) {
        List<Entry> found = new ArrayList<>();
        int end = length - 1;
        while (end >= 0 && bytes[end] != '\n') {
            end--;   // the unfinished last line
        }
        long next = Long.MAX_VALUE;
        while (end >= 0 && found.size() < wanted) {
            int start = end - 1;
            while (start >= 0 && bytes[start] != '\n') {
                start--;
            }
            if (start < 0 && cutAtStart) {
                break;   // the window began inside this line: a wider window reads it whole
            }
            long at = offset + start + 1;
            Entry entry = parse(file, at, new String(bytes, start + 1, end - start - 1, StandardCharsets.UTF_8));
            if (entry.seq() >= next) {
                throw corrupt(file, at, "its sequence number " + entry.seq() + " does not come before " + next);
            }
            next = entry.seq();
            found.add(entry);
            end = start;
        }
        return found;
    }

    private static Entry parse(Path file, long offset, String text) {
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
            throw corrupt(file, offset, "it is not an audit entry (" + notAnEntry.getMessage() + ")");
        }
        if (seq < 1) {
            throw corrupt(file, offset, "its sequence number " + seq + " is not positive");
        }
        return new Entry(seq, e);
    }

    private static AuditException corrupt(Path file, long offset, String why) {
        return new AuditException("audit log " + file + " is damaged at byte " + offset + ": " + why
                + "; Portcullis stops rather than guess: repair or move the file aside", null);
    }

    private record Segment(long firstSeq, Path file) {}

    private List<Segment> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> {
                        Matcher m = NAME.matcher(f.getFileName().toString());
                        return m.matches() ? new Segment(Long.parseLong(m.group(1)), f) : null;
                    })
                    .filter(Objects::nonNull)
                    .sorted(Comparator.comparingLong(Segment::firstSeq))
                    .toList();
        } catch (IOException e) {
            throw new AuditException("cannot list the audit log " + dir + ": " + e.getMessage(), e);
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
