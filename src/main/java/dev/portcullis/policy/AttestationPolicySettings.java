package dev.portcullis.policy;

import dev.portcullis.config.ConfigSection;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code attestations} section: how many bytes the attestation index may hold before new
 * attestations are refused ({@code memory_budget}), and after how long without an ask the attestations
 * of a digest are removed ({@code retention_unasked}; zero, the default, keeps them all).
 */
public record AttestationPolicySettings(long memoryBudget, Duration retentionUnasked) {
    /** The shortest retention window: a bare number is seconds, and {@code 90} meant as days would remove nearly everything. */
    public static final Duration MIN_RETENTION = Duration.ofHours(1);

    public AttestationPolicySettings {
        Objects.requireNonNull(retentionUnasked, "retentionUnasked");
        if (memoryBudget < 1) {
            throw new IllegalArgumentException("attestations.memory_budget must be at least one byte");
        }
        if (!retentionUnasked.isZero() && retentionUnasked.compareTo(MIN_RETENTION) < 0) {
            throw new IllegalArgumentException("attestations.retention_unasked must be 0 (off) or at least 1h");
        }
    }

    /** Reads the section; without {@code memory_budget} the index may take half the heap's limit, without {@code retention_unasked} nothing is removed. */
    public static AttestationPolicySettings from(ConfigSection root) {
        ConfigSection s = root.section("attestations");
        s.rejectUnknown(java.util.Set.of("memory_budget", "retention_unasked"));
        long budget = s.bytes("memory_budget", Runtime.getRuntime().maxMemory() / 2);
        if (budget < 1) {
            throw s.error("memory_budget", "must be at least one byte");
        }
        Duration retention = s.duration("retention_unasked", Duration.ZERO);
        if (!retention.isZero() && retention.compareTo(MIN_RETENTION) < 0) {
            throw s.error("retention_unasked", "must be 0 (off) or at least 1h, such as 90d, not '"
                    + s.string("retention_unasked").orElse("") + "'");
        }
        return new AttestationPolicySettings(budget, retention);
    }

    /** Whether attestations nothing asks about are removed. */
    public boolean removesUnasked() {
        return !retentionUnasked.isZero();
    }
}
