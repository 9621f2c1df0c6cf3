package dev.portcullis.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The audit log of the embedded store: JSON lines in segment files under the data directory, each
 * with its sequence number. An event is durable once one append holds it (one {@code write(2)} for
 * whatever has queued up), and callers are answered only then. Files rather than a database table,
 * because keeping every decision in the embedded database cost a quarter of the token authority's
 * CPU and most of its garbage-collection pauses; JSON lines are also what log shippers read. Old
 * segments are deleted by {@link AuditSettings retention}, whole and oldest first, at start, at each
 * new segment and hourly; the deletion is recorded in the log before the files go.
 */
public final class FileAuditLog implements AuditLog {
    private static final Duration RETENTION_EVERY = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger(FileAuditLog.class.getName());

    private final AuditFiles files;
    private final GroupWriter writer;
    private final AuditSettings settings;
    private final Clock clock;
    private long nextSeq;   // the writer thread's alone, as is nextRetention
    private Instant nextRetention = Instant.MIN;

    private FileAuditLog(AuditFiles files, long lastSeq, AuditSettings settings, Clock clock) {
        this.files = files;
        this.nextSeq = lastSeq + 1;
        this.settings = settings;
        this.clock = clock;
        this.writer = new GroupWriter("audit-writer", clock, this::append, this::tick, files::close);
    }

    /** Opens the log in {@code dir} keeping every event; the next event continues the sequence the files end with. */
    public static FileAuditLog open(Path dir) {
        return open(new AuditFiles(dir), dir, null, AuditSettings.KEEP_ALL, Clock.systemUTC());
    }

    /**
     * Opens the log in {@code dir}, first taking over the segment files an earlier version left in
     * {@code legacyDir} (its journal, emptied on every clean stop, so only a crash leaves any).
     */
    public static FileAuditLog open(Path dir, Path legacyDir, AuditSettings settings, Clock clock) {
        return open(new AuditFiles(dir, segmentBytes(settings)), dir, legacyDir, settings, clock);
    }

    static FileAuditLog open(Path dir, long segmentBytes) {
        return open(new AuditFiles(dir, segmentBytes), dir, null, AuditSettings.KEEP_ALL, Clock.systemUTC());
    }

    static FileAuditLog open(AuditFiles files, Path dir, Path legacyDir, AuditSettings settings, Clock clock) {
        try {
            if (legacyDir != null) {
                adopt(legacyDir, dir);
            }
            return new FileAuditLog(files, files.lastSeq(), settings, clock);
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }

    // Segments of an eighth of max_size (64 MB at most), so that whole segments can keep the log under it.
    static long segmentBytes(AuditSettings settings) {
        return settings.limitsSize() ? Math.min(AuditFiles.SEGMENT_BYTES, settings.maxSize() / 8) : AuditFiles.SEGMENT_BYTES;
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
    // half-written line and the next batch never share one. When retention is due, its record joins
    // the append, and the files are deleted only once that record is durable.
    private void append(List<AuditEvent> batch) throws IOException {
        List<SegmentRetention.Deletion> deletions = retentionDue() ? retention() : List.of();
        if (batch.isEmpty() && deletions.isEmpty()) {
            return;
        }
        List<AuditFiles.Entry> entries = new ArrayList<>(batch.size() + deletions.size());
        for (AuditEvent e : batch) {
            entries.add(new AuditFiles.Entry(nextSeq++, e));
        }
        for (SegmentRetention.Deletion d : deletions) {
            entries.add(new AuditFiles.Entry(nextSeq++, d.event()));
        }
        files.append(entries);
        for (SegmentRetention.Deletion d : deletions) {
            for (AuditFiles.Closed segment : d.segments()) {
                try {
                    files.delete(segment);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot delete audit segment " + segment.file() + ": " + e.getMessage());
                }
            }
        }
    }

    private void tick() {
        if (limits() && !clock.instant().isBefore(nextRetention)) {
            try {
                append(List.of());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "audit retention could not record its deletions: " + e.getMessage());
            }
        }
    }

    private boolean limits() {
        return settings.limitsAge() || settings.limitsSize();
    }

    private boolean retentionDue() {
        return limits() && (files.full() || !clock.instant().isBefore(nextRetention));
    }

    private List<SegmentRetention.Deletion> retention() {
        Instant now = clock.instant();
        nextRetention = now.plus(RETENTION_EVERY);
        try {
            return SegmentRetention.plan(files.closedSegments(), files.currentBytes(), settings, now);
        } catch (AuditException e) {
            LOG.log(System.Logger.Level.WARNING, "audit retention skipped: " + e.getMessage());
            return List.of();
        }
    }

    /** The newest events first; every event whose {@link #record} returned before the call is among them. */
    @Override
    public Optional<String> health() {
        return writer.failure();
    }

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
