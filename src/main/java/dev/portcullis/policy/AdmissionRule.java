package dev.portcullis.policy;

import dev.portcullis.config.ConfigSection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One admission rule of a Binary Authorization policy: {@code evaluationMode}, {@code enforcementMode},
 * {@code requireAttestationsBy}, plus our extensions {@code attestationThreshold} (N of the listed
 * attestors; all of them by default, as Google requires) and {@code maxAttestationAge}.
 */
public record AdmissionRule(EvaluationMode evaluationMode, boolean dryRun, List<String> requireAttestationsBy,
                            int threshold, Optional<Duration> maxAttestationAge) {
    private static final Set<String> KEYS = Set.of("evaluationMode", "enforcementMode", "requireAttestationsBy",
            "attestationThreshold", "maxAttestationAge");

    /** The three evaluation modes. */
    public enum EvaluationMode { ALWAYS_ALLOW, ALWAYS_DENY, REQUIRE_ATTESTATION }

    public AdmissionRule {
        requireAttestationsBy = List.copyOf(requireAttestationsBy);
        if (evaluationMode == EvaluationMode.REQUIRE_ATTESTATION) {
            if (requireAttestationsBy.isEmpty()) {
                throw new PolicyException("REQUIRE_ATTESTATION needs at least one attestor in requireAttestationsBy");
            }
            if (threshold < 1 || threshold > requireAttestationsBy.size()) {
                throw new PolicyException("attestationThreshold must be between 1 and " + requireAttestationsBy.size());
            }
        }
    }

    static AdmissionRule from(ConfigSection s) {
        s.rejectUnknown(KEYS);
        EvaluationMode mode;
        try {
            mode = EvaluationMode.valueOf(s.requireString("evaluationMode"));
        } catch (IllegalArgumentException e) {
            throw s.error("evaluationMode", "must be ALWAYS_ALLOW, ALWAYS_DENY or REQUIRE_ATTESTATION");
        }
        String enforcement = s.string("enforcementMode", "ENFORCED_BLOCK_AND_AUDIT_LOG");
        if (!enforcement.equals("ENFORCED_BLOCK_AND_AUDIT_LOG") && !enforcement.equals("DRYRUN_AUDIT_LOG_ONLY")) {
            throw s.error("enforcementMode", "must be ENFORCED_BLOCK_AND_AUDIT_LOG or DRYRUN_AUDIT_LOG_ONLY");
        }
        List<String> attestors = s.stringList("requireAttestationsBy");
        Optional<Duration> age = s.has("maxAttestationAge")
                ? Optional.of(s.duration("maxAttestationAge", Duration.ZERO)) : Optional.empty();
        try {
            return new AdmissionRule(mode, enforcement.equals("DRYRUN_AUDIT_LOG_ONLY"), attestors,
                    s.integer("attestationThreshold", Math.max(1, attestors.size()), 1, 1000), age);
        } catch (PolicyException e) {
            throw s.error(mode == EvaluationMode.REQUIRE_ATTESTATION && attestors.isEmpty() ? "evaluationMode"
                    : "attestationThreshold", e.getMessage());
        }
    }
}
