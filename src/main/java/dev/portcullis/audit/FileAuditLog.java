package dev.portcullis.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The audit log of the embedded store: JSON lines in segment files under the data directory, each
 * with its sequence number. An event is durable once one append holds it (one {@code write(2)} for
 * whatever has queued up), and callers are answered only then. Files rather than a database table,
 * because keeping every decision in the embedded database cost a quarter of the token authority's
 * CPU and most of its garbage-collection pauses; JSON lines are also what log shippers read.
 */
public final class FileAuditLog implements AuditLog {
    private final AuditFiles files;
    private final GroupWriter writer;
    private long nextSeq;   // the writer thread's alone

    private FileAuditLog(AuditFiles files, long lastSeq) {
        this.files = files;
        this.nextSeq = lastSeq + 1;
        this.writer = new GroupWriter("audit-writer", this::append, files::close);
    }

    /** Opens the log in {@code dir}; the next event continues the sequence the files end with. */
    public static FileAuditLog open(Path dir) {
        return open(dir, null);
    }

    /**
     * Opens the log in {@code dir}, first taking over the segment files an earlier version left in
     * {@code legacyDir} (its journal, emptied on every clean stop, so only a crash leaves any).
     */
    public static FileAuditLog open(Path dir, Path legacyDir) {
        return open(new AuditFiles(dir), dir, legacyDir);
    }

    static FileAuditLog open(Path dir, long segmentBytes) {
        return open(new AuditFiles(dir, segmentBytes), dir, null);
    }

    private static FileAuditLog open(AuditFiles files, Path dir, Path legacyDir) {
        try {
            if (legacyDir != null) {
                adopt(legacyDir, dir);
            }
            return new FileAuditLog(files, files.lastSeq());
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }

    private static void adopt(Path legacyDir, Path dir) {
        if (!Files.isDirectory(legacyDir)) {
            return;
        }
        try (Stream<Path> old = Files.list(legacyDir)) {
            for (Path file : old.filter(f -> f.getFileName().toString().matches("events-\\d{19}\\.jsonl")).toList()) {
                Path target = dir.resolve(file.getFileName());
                if (Files.exists(target)) {
                    throw new AuditException("cannot take over the audit journal " + file + ": " + target
                            + " exists already; move one of them aside", null);
                }
                Files.move(file, target);
            }
            Files.deleteIfExists(legacyDir);
        } catch (IOException e) {
            throw new AuditException("cannot take over the audit journal in " + legacyDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void record(AuditEvent event) {
        writer.record(List.of(event));
    }

    @Override
    public void recordAll(List<AuditEvent> events) {
        writer.record(events);
    }

    // One append for the whole batch; the sequence numbers are spent even when it fails, so that a
    // half-written line and the next batch never share one.
    private void append(List<AuditEvent> batch) throws IOException {
        List<AuditFiles.Entry> entries = new ArrayList<>(batch.size());
        for (AuditEvent e : batch) {
            entries.add(new AuditFiles.Entry(nextSeq++, e));
        }
        files.append(entries);
    }

    /** The newest events first; every event whose {@link #record} returned before the call is among them. */
    @Override
    public List<AuditEvent> recent(int limit) {
        return files.newest(Math.max(0, limit)).stream().map(AuditFiles.Entry::event).toList();
    }

    /** Stops taking events and writes what is queued. */
    @Override
    public void close() {
        writer.close();
    }
}
