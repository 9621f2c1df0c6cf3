package dev.portcullis.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.StrictJson;
import dev.portcullis.policy.PolicyService;
import dev.portcullis.policy.PolicyState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What {@code admission explain} says about one object of a manifest: the webhook's verdict in the
 * webhook's words, whether it came from the reviewer here (offline, over a policy file) or from a
 * server's {@code /admission/validate}.
 */
public final class ManifestExplanation {
    // Offline, nothing takes effect: there is no decision to record.
    private static final AuditLog NOT_RECORDED = new AuditLog() {
        @Override
        public void record(AuditEvent event) {}

        @Override
        public List<AuditEvent> recent(int limit) {
            return List.of();
        }

        @Override
        public void close() {}
    };

    private ManifestExplanation() {}

    /**
     * The webhook's judgement over {@code policyYaml} alone: the parser and reviewer of the webhook, a
     * policy service without store or attestations (rules that require attestations deny).
     */
    public static Function<byte[], AdmissionVerdict> offline(String policyYaml, String source, Optional<String> cluster,
                                                           String trustDomain, Clock clock) {
        PolicyService policy = PolicyService.offline(PolicyState.parse(policyYaml, source), NOT_RECORDED, clock);
        AdmissionSettings settings = AdmissionSettings.defaults(cluster, trustDomain);
        AdmissionReviewParser parser = new AdmissionReviewParser(settings.maxContainers());
        AdmissionReviewer reviewer = new AdmissionReviewer(policy, settings, NOT_RECORDED, clock);
        return review -> reviewer.review(parser.parse(review));
    }

    /** The verdict in a server's answer (the AdmissionReview {@link AdmissionVerdict#review()} writes). */
    public static AdmissionVerdict fromAnswer(byte[] json) {
        JsonNode r;
        try {
            r = StrictJson.read(json).path("response");
        } catch (StrictJson.InvalidJsonException e) {
            throw new AdmissionException("the server's answer is not an AdmissionReview: " + e.getMessage());
        }
        if (!r.path("allowed").isBoolean() || !r.path("uid").isTextual()) {
            throw new AdmissionException("the server's answer is not an AdmissionReview with a response");
        }
        boolean allowed = r.path("allowed").asBoolean();
        List<String> warnings = new ArrayList<>();
        r.path("warnings").forEach(w -> warnings.add(w.asText()));
        Map<String, String> annotations = new LinkedHashMap<>();
        r.path("auditAnnotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        Optional<String> denial = allowed ? Optional.empty() : Optional.of(r.at("/status/message").asText("denied"));
        return new AdmissionVerdict("admission.k8s.io/v1", r.path("uid").asText(), allowed, denial, warnings, annotations);
    }

    /** An error of the webhook's parser, in the manifest's terms (its fields, not the review's). */
    public static String inManifest(ManifestObjects.Entry entry, String message) {
        return entry.label() + ": " + message.replace("request.object.", "").replace("request.object", "the object");
    }

    /** The lines for one object: its verdict, the rule per image, the denial and the warnings. */
    public static List<String> lines(ManifestObjects.Entry entry, AdmissionVerdict v) {
        List<String> out = new ArrayList<>();
        out.add(entry.label() + ": " + (v.allowed() ? "allowed" : "denied"));
        String rules = v.auditAnnotations().getOrDefault("rules", "");
        if (!rules.isEmpty()) {
            Arrays.stream(rules.split("; ")).forEach(rule -> out.add("  " + rule));
        }
        v.denial().ifPresent(m -> out.add("  denied: " + m));
        v.warnings().forEach(w -> out.add("  warning: " + w));
        return out;
    }

    /** The line for an object of a kind the webhook does not judge (a Service, a ConfigMap). */
    public static String notJudged(ManifestObjects.Entry entry) {
        return entry.label() + ": not judged (no pod template)";
    }
}
