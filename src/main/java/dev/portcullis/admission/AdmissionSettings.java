package dev.portcullis.admission;

import dev.portcullis.config.ConfigSection;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code admission} section: whether the webhook answers at all (off unless enabled: it asks for
 * no credential, so only a deployment that lets nothing but the API server reach it turns it on), the cluster's name as the policy's {@code clusterAdmissionRules} key
 * it ({@code location.name}), Istio's trust domain for the SPIFFE id, and the most containers one
 * review may name; what break-glass needs ({@code break_glass}), whether a kind the webhook does not
 * judge is admitted with a warning or denied ({@code unknown_kinds}), how often running pods are
 * re-checked at the longest ({@code revalidate_every}); and the webhook's own TLS listener, when
 * {@code admission.addr} is set; the mutating webhook's ({@code mutate}).
 */
public record AdmissionSettings(boolean enabled, Optional<String> cluster, String trustDomain, int maxContainers,
                                BreakGlassSettings breakGlass, boolean denyUnknownKinds, java.time.Duration revalidateEvery,
                                Optional<AdmissionListenerSettings> listener, MutateSettings mutate) {
    /** The longest {@code revalidate_every}: the "at least every 5 minutes". */
    static final java.time.Duration MAX_REVALIDATE = java.time.Duration.ofMinutes(5);

    public AdmissionSettings {
        if (revalidateEvery.compareTo(java.time.Duration.ofSeconds(1)) < 0 || revalidateEvery.compareTo(MAX_REVALIDATE) > 0) {
            throw new IllegalArgumentException("admission.revalidate_every must be between 1s and 5m");
        }
        java.util.Objects.requireNonNull(breakGlass, "breakGlass");
        if (trustDomain == null || !trustDomain.matches("[a-z0-9.-]+")) {
            throw new IllegalArgumentException("admission.trust_domain must be a DNS name such as cluster.local");
        }
        if (maxContainers < 1) {
            throw new IllegalArgumentException("admission.max_containers must be at least 1");
        }
    }

    /** The webhook's defaults with a cluster name and trust domain: what {@code admission explain} judges with offline. */
    public static AdmissionSettings defaults(Optional<String> cluster, String trustDomain) {
        return new AdmissionSettings(true, cluster, trustDomain, 500, BreakGlassSettings.google(), false,
                java.time.Duration.ofSeconds(30), Optional.empty(), MutateSettings.off());
    }

    /**
     * Reads the section; without it: off, no cluster name, trust domain {@code cluster.local} (Istio's), 500
     * containers, break-glass as Google has it, unknown kinds admitted with a warning.
     */
    public static AdmissionSettings from(ConfigSection root) {
        ConfigSection s = root.section("admission");
        java.util.Set<String> known = new java.util.HashSet<>(Set.of("enabled", "cluster", "trust_domain", "max_containers",
                "break_glass", "unknown_kinds", "revalidate_every", "mutate"));
        known.addAll(AdmissionListenerSettings.KEYS);
        s.rejectUnknown(known);
        String cluster = s.string("cluster", "");
        String trustDomain = s.string("trust_domain", "cluster.local");
        if (!trustDomain.matches("[a-z0-9.-]+")) {
            throw s.error("trust_domain", "must be a DNS name such as cluster.local");
        }
        int max = s.integer("max_containers", 500, 1, 100_000);
        String unknown = s.string("unknown_kinds", "allow");
        if (!unknown.equals("allow") && !unknown.equals("deny")) {
            throw s.error("unknown_kinds", "must be allow (admitted with a warning) or deny, not '" + unknown + "'");
        }
        return new AdmissionSettings(s.bool("enabled", false), cluster.isBlank() ? Optional.empty() : Optional.of(cluster), trustDomain, max,
                BreakGlassSettings.from(s), unknown.equals("deny"), revalidateEvery(s), AdmissionListenerSettings.from(s),
                MutateSettings.from(s));
    }

    private static java.time.Duration revalidateEvery(ConfigSection s) {
        java.time.Duration d = s.duration("revalidate_every", java.time.Duration.ofSeconds(30));
        if (d.compareTo(java.time.Duration.ofSeconds(1)) < 0 || d.compareTo(MAX_REVALIDATE) > 0) {
            throw s.error("revalidate_every", "must be between 1s and 5m");
        }
        return d;
    }
}
