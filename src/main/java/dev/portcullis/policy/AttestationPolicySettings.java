package dev.portcullis.policy;

import dev.portcullis.config.ConfigSection;

/** The {@code attestations} section: how many bytes the attestation index may hold before new attestations are refused. */
public record AttestationPolicySettings(long memoryBudget) {
    public AttestationPolicySettings {
        if (memoryBudget < 1) {
            throw new IllegalArgumentException("attestations.memory_budget must be at least one byte");
        }
    }

    /** Reads the section; without {@code memory_budget} the index may take half the heap's limit. */
    public static AttestationPolicySettings from(ConfigSection root) {
        ConfigSection s = root.section("attestations");
        s.rejectUnknown(java.util.Set.of("memory_budget"));
        long budget = s.bytes("memory_budget", Runtime.getRuntime().maxMemory() / 2);
        if (budget < 1) {
            throw s.error("memory_budget", "must be at least one byte");
        }
        return new AttestationPolicySettings(budget);
    }
}
