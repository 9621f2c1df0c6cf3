package dev.portcullis.audit;

import dev.portcullis.config.ConfigSection;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code audit} section: how long and how much of the log is kept ({@code retention.max_age},
 * {@code retention.max_size}; 0 keeps everything) and the window in which a source's repeated
 * denials are folded into one record ({@code repeat_window}; 0 writes each one).
 *
 * @param maxAge       events older than this are deleted (whole segment files on the embedded store)
 * @param maxSize      the segment files are kept below this many bytes (the embedded store only)
 * @param repeatWindow repeats of a denial from one source within it are written as one record with a count
 */
public record AuditSettings(Duration maxAge, long maxSize, Duration repeatWindow) {
    /** The defaults: 30 days, 1 GB, one minute. */
    public static final AuditSettings DEFAULTS = new AuditSettings(Duration.ofDays(30), 1L << 30, Duration.ofMinutes(1));
    /** Nothing deleted, nothing folded: for tools and tests that read back every event. */
    public static final AuditSettings KEEP_ALL = new AuditSettings(Duration.ZERO, 0, Duration.ZERO);

    private static final Set<String> KEYS = Set.of("retention", "repeat_window");
    private static final Set<String> RETENTION_KEYS = Set.of("max_age", "max_size");
    private static final long MIN_SIZE = 1L << 20;

    public AuditSettings {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(repeatWindow, "repeatWindow");
        if (maxAge.isNegative() || repeatWindow.isNegative()) {
            throw new IllegalArgumentException("audit durations must not be negative");
        }
        if (maxSize != 0 && maxSize < MIN_SIZE) {
            throw new IllegalArgumentException("audit.retention.max_size must be 0 (keep everything) or at least 1MB");
        }
    }

    /** Reads the {@code audit} section; every key has a default and a {@code PORTCULLIS_AUDIT_...} override. */
    public static AuditSettings from(ConfigSection audit) {
        audit.rejectUnknown(KEYS);
        ConfigSection retention = audit.section("retention");
        retention.rejectUnknown(RETENTION_KEYS);
        long maxSize = retention.bytes("max_size", DEFAULTS.maxSize());
        if (maxSize != 0 && maxSize < MIN_SIZE) {
            throw retention.error("max_size", "must be 0 (keep everything) or at least 1MB");
        }
        return new AuditSettings(retention.duration("max_age", DEFAULTS.maxAge()), maxSize,
                audit.duration("repeat_window", DEFAULTS.repeatWindow()));
    }

    /** Whether events are deleted by age. */
    public boolean limitsAge() {
        return !maxAge.isZero();
    }

    /** Whether the segment files are kept below a size. */
    public boolean limitsSize() {
        return maxSize != 0;
    }
}
