package dev.portcullis.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which closed segment files the retention settings delete, oldest first: those last written before
 * {@code max_age}, then as many more as it takes to bring all segments (the current one included)
 * under {@code max_size}. The segment being written is never among them, and each deletion is
 * described by an audit event that is written before the files go.
 */
final class SegmentRetention {
    /** Segments one rule deletes, and the event that records it. */
    record Deletion(List<AuditFiles.Closed> segments, AuditEvent event) {}

    private SegmentRetention() {}

    static List<Deletion> plan(List<AuditFiles.Closed> closed, long currentBytes, AuditSettings settings, Instant now) {
        List<AuditFiles.Closed> byAge = new ArrayList<>();
        List<AuditFiles.Closed> kept = new ArrayList<>();
        Instant cutoff = settings.limitsAge() ? now.minus(settings.maxAge()) : Instant.MIN;
        for (AuditFiles.Closed c : closed) {
            (c.lastWritten().isBefore(cutoff) ? byAge : kept).add(c);
        }
        List<AuditFiles.Closed> bySize = new ArrayList<>();
        if (settings.limitsSize()) {
            long total = currentBytes + kept.stream().mapToLong(AuditFiles.Closed::bytes).sum();
            for (int i = 0; i < kept.size() && total > settings.maxSize(); i++) {
                bySize.add(kept.get(i));
                total -= kept.get(i).bytes();
            }
        }
        List<Deletion> out = new ArrayList<>(2);
        if (!byAge.isEmpty()) {
            out.add(deletion(byAge, "audit.retention.max_age " + duration(settings.maxAge()), now));
        }
        if (!bySize.isEmpty()) {
            out.add(deletion(bySize, "audit.retention.max_size " + size(settings.maxSize()), now));
        }
        return out;
    }

    // One event per rule and pass, however many files: a directory of tiny segments costs one line.
    private static Deletion deletion(List<AuditFiles.Closed> segments, String rule, Instant now) {
        AuditFiles.Closed first = segments.get(0);
        AuditFiles.Closed last = segments.get(segments.size() - 1);
        String object = segments.size() == 1 ? name(first)
                : name(first) + " .. " + name(last);
        long bytes = segments.stream().mapToLong(AuditFiles.Closed::bytes).sum();
        String detail = segments.size() + " segment file(s), " + bytes + " bytes, events from sequence number "
                + first.firstSeq() + ", last written " + last.lastWritten();
        return new Deletion(List.copyOf(segments),
                new AuditEvent(now, "audit", "retention", "", "", object, "delete", rule, detail));
    }

    private static String name(AuditFiles.Closed c) {
        return c.file().getFileName().toString();
    }

    static String duration(Duration d) {
        return dev.portcullis.config.ConfigSection.durationText(d);
    }

    static String size(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        int u = 0;
        long n = bytes;
        while (u < units.length - 1 && n % 1024 == 0 && n >= 1024) {
            n /= 1024;
            u++;
        }
        return n + units[u];
    }
}
