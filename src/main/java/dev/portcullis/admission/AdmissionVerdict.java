package dev.portcullis.admission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one AdmissionReview, in the version it was asked in: allowed or not, on a denial
 * {@code status.code} 403 and the message, warnings for the user, annotations for the API server's
 * audit log.
 */
public record AdmissionVerdict(String apiVersion, String uid, boolean allowed, Optional<String> denial, List<String> warnings,
                               Map<String, String> auditAnnotations) {
    public AdmissionVerdict {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(uid, "uid");
        if (allowed == denial.isPresent()) {
            throw new IllegalArgumentException("a denial, and only a denial, has a message");
        }
        warnings = List.copyOf(warnings);
        auditAnnotations = Map.copyOf(auditAnnotations);
    }

    /** The AdmissionReview the API server reads: the same apiVersion and uid as the request. */
    public Map<String, Object> review() {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("uid", uid);
        response.put("allowed", allowed);
        denial.ifPresent(m -> response.put("status", Map.of("code", 403, "message", m)));
        if (!warnings.isEmpty()) {
            response.put("warnings", warnings);
        }
        if (!auditAnnotations.isEmpty()) {
            response.put("auditAnnotations", new java.util.TreeMap<>(auditAnnotations));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiVersion", apiVersion);
        out.put("kind", "AdmissionReview");
        out.put("response", response);
        return out;
    }

    /** The denial of a review that cannot be judged now (the policy not loaded yet), with the reason. */
    public static AdmissionVerdict unavailable(AdmissionRequest r, String why) {
        return new AdmissionVerdict(r.apiVersion(), r.uid(), false, Optional.of(why), List.of(), Map.of("decision", "deny"));
    }
}
