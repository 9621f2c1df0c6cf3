package dev.portcullis.admission;

import dev.portcullis.config.ConfigSection;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code admission} section: whether the webhook answers at all (off unless enabled: it asks for
 * no credential, so only a deployment that lets nothing but the API server reach it turns it on), the cluster's name as the policy's {@code clusterAdmissionRules} key
 * it ({@code location.name}), Istio's trust domain for the SPIFFE id, and the most containers one
 * review may name; and the webhook's own TLS listener, when {@code admission.addr} is set.
 */
public record AdmissionSettings(boolean enabled, Optional<String> cluster, String trustDomain, int maxContainers,
                                Optional<AdmissionListenerSettings> listener) {
    public AdmissionSettings {
        if (trustDomain == null || !trustDomain.matches("[a-z0-9.-]+")) {
            throw new IllegalArgumentException("admission.trust_domain must be a DNS name such as cluster.local");
        }
        if (maxContainers < 1) {
            throw new IllegalArgumentException("admission.max_containers must be at least 1");
        }
    }

    /** Reads the section; without it: off, no cluster name, trust domain {@code cluster.local} (Istio's), 500 containers. */
    public static AdmissionSettings from(ConfigSection root) {
        ConfigSection s = root.section("admission");
        java.util.Set<String> known = new java.util.HashSet<>(Set.of("enabled", "cluster", "trust_domain", "max_containers"));
        known.addAll(AdmissionListenerSettings.KEYS);
        s.rejectUnknown(known);
        String cluster = s.string("cluster", "");
        String trustDomain = s.string("trust_domain", "cluster.local");
        if (!trustDomain.matches("[a-z0-9.-]+")) {
            throw s.error("trust_domain", "must be a DNS name such as cluster.local");
        }
        int max = s.integer("max_containers", 500, 1, 100_000);
        return new AdmissionSettings(s.bool("enabled", false), cluster.isBlank() ? Optional.empty() : Optional.of(cluster), trustDomain, max,
                AdmissionListenerSettings.from(s));
    }
}
