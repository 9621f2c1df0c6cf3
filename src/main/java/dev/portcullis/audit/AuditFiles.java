package dev.portcullis.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

    /** A segment file that is no longer written: its first sequence number, size and time of its last append. */
    record Closed(long firstSeq, Path file, long bytes, Instant lastWritten) {}

    /** The one call that writes to a segment; a seam so that tests can make it fail as a full disk does. */
    interface Writes {
        int write(FileChannel channel, ByteBuffer bytes) throws IOException;
    }

    static final long SEGMENT_BYTES = 64L << 20;
    private static final int FIRST_WINDOW = 64 << 10;
    private static final Pattern NAME = Pattern.compile("events-(\\d{19})\\.jsonl");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;
    private final long segmentBytes;
    private final Writes writes;
    private FileChannel current;
    private Path currentFile;
    private long currentBytes;
    private boolean torn;   // the last append failed part way and its bytes are not cut off yet

    AuditFiles(Path dir) {
        this(dir, SEGMENT_BYTES);
    }

    AuditFiles(Path dir, long segmentBytes) {
        this(dir, segmentBytes, FileChannel::write);
    }

    AuditFiles(Path dir, long segmentBytes, Writes writes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.writes = writes;
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

    /** Whether the current segment is full, so that the next append starts a new one. */
    boolean full() {
        return current != null && currentBytes >= segmentBytes;
    }

    /**
     * Writes the entries (in sequence order) with one append; a new segment starts when the current one
     * is full. A failed append leaves no bytes behind and no new file: the next append goes to the same
     * segment, so a full disk costs one file however many appends fail.
     */
    void append(List<Entry> entries) throws IOException {
        if (torn) {
            current.truncate(currentBytes);   // until this works, nothing more is written to the segment
            torn = false;
        }
        if (current == null || full()) {
            startSegment(entries.get(0).seq());
        }
        ByteBuffer buf = ByteBuffer.wrap(AuditLines.encode(entries));
        long before = currentBytes;
        try {
            while (buf.hasRemaining()) {
                currentBytes += writes.write(current, buf);
            }
        } catch (IOException e) {
            // Cut off the half line the failure may have left; should that fail too, the next append
            // tries again first, and a crash before then leaves a torn last line, which replay skips.
            currentBytes = before;
            torn = true;
            try {
                current.truncate(before);
                torn = false;
            } catch (IOException stillTorn) {
                e.addSuppressed(stillTorn);
            }
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
        currentFile = file;
        currentBytes = current.size();
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
        } catch (NoSuchFileException gone) {
            // retention deleted it since the directory was listed: its events are no longer kept
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
            Entry entry = AuditLines.parse(file, at, new String(bytes, start + 1, end - start - 1, StandardCharsets.UTF_8));
            if (entry.seq() >= next) {
                throw corrupt(file, at, "its sequence number " + entry.seq() + " does not come before " + next);
            }
            next = entry.seq();
            found.add(entry);
            end = start;
        }
        return found;
    }

    static AuditException corrupt(Path file, long offset, String why) {
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

    /** The segments no longer written (every one but the current), oldest first. */
    List<Closed> closedSegments() {
        List<Closed> out = new ArrayList<>();
        for (Segment s : segments()) {
            if (s.file().equals(currentFile)) {
                continue;
            }
            try {
                out.add(new Closed(s.firstSeq(), s.file(), Files.size(s.file()),
                        Files.getLastModifiedTime(s.file()).toInstant()));
            } catch (NoSuchFileException gone) {
                // deleted meanwhile
            } catch (IOException e) {
                throw new AuditException("cannot read the audit log " + s.file() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The bytes of the segment being written, 0 before the first append. */
    long currentBytes() {
        return current == null ? 0 : currentBytes;
    }

    /** Deletes a closed segment; the current one is never deleted. */
    void delete(Closed segment) throws IOException {
        if (segment.file().equals(currentFile)) {
            throw new IllegalArgumentException("the segment being written is never deleted");
        }
        Files.deleteIfExists(segment.file());
    }

    private void closeQuietly() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // nothing more can be written to it either way
            }
            current = null;
            currentFile = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
