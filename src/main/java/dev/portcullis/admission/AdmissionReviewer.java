package dev.portcullis.admission;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.policy.EvaluationContext;
import dev.portcullis.policy.ImageVerdict;
import dev.portcullis.policy.PolicyDecision;
import dev.portcullis.policy.PolicyService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Judges one admission request: every image of the pod (or pod template) by the policy, in the
 * context the request gives (cluster, namespace, service account, Istio SPIFFE id); break-glass admits
 * as Google's does. Every review is one audit record, written before the answer (else no answer).
 */
public final class AdmissionReviewer {
    /** Google's break-glass label, on the pod (or the pod template, or the controller). */
    public static final String BREAK_GLASS_LABEL = "image-policy.k8s.io/break-glass";
    /** Its older form, an annotation. */
    public static final String BREAK_GLASS_ANNOTATION = "alpha.image-policy.k8s.io/break-glass";
    private static final int MAX_IMAGES = 100;

    private final PolicyService policy;
    private final AdmissionSettings settings;
    private final AuditLog audit;
    private final Clock clock;
    private final Optional<BreakGlassAlerts> alerts;

    public AdmissionReviewer(PolicyService policy, AdmissionSettings settings, AuditLog audit, Clock clock) {
        this.policy = policy;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.alerts = settings.breakGlass().alertUrl().map(BreakGlassAlerts::new);
    }

    /** The alert webhook's sender, when one is configured. */
    public Optional<BreakGlassAlerts> alerts() {
        return alerts;
    }

    public AdmissionVerdict review(AdmissionRequest r) {
        if (r.workload().isEmpty()) {
            return unjudged(r);
        }
        AdmissionRequest.Workload w = r.workload().get();
        List<String> images = w.distinctImages();
        if (images.size() > MAX_IMAGES) {
            throw new AdmissionException("the " + r.kind() + " names " + images.size() + " distinct images, more than the "
                    + MAX_IMAGES + " one review may");
        }
        EvaluationContext ctx = context(settings, w.namespace(), w.serviceAccount());
        boolean asked = breakGlassAsked(w.labels(), w.annotations());
        Optional<String> refused = asked ? settings.breakGlass().refusal(r.groups(), w.annotations()) : Optional.empty();
        boolean breakGlass = asked && refused.isEmpty();
        PolicyDecision d = policy.evaluate(images, ctx, decision -> record(r, w, decision, breakGlass, refused, ctx));
        List<ImageVerdict.Denied> denied = d.images().stream().filter(ImageVerdict.Denied.class::isInstance)
                .map(ImageVerdict.Denied.class::cast).toList();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("decision", outcome(d, breakGlass));
        annotations.put("rules", PolicyService.rules(d));
        List<String> warnings = new ArrayList<>();
        if (breakGlass) {
            annotations.put("break-glass", "true");
            warnings.add("break-glass: admitted by " + BREAK_GLASS_LABEL + " whatever the policy says; this use is audited");
            denied.forEach(v -> warnings.add("break-glass overrides: " + v.message()));
            if (!r.dryRun()) {
                alerts.ifPresent(a -> a.alert(r.object(), r.user(), BreakGlassSettings.justification(w.annotations()).orElse(""),
                        String.join(",", images), denied.isEmpty() ? "nothing was denied" : PolicyService.rules(d)));
            }
            return new AdmissionVerdict(r.apiVersion(), r.uid(), true, Optional.empty(), warnings, annotations);
        }
        refused.ifPresent(why -> {
            annotations.put("break-glass", "refused");
            warnings.add("break-glass not honoured: " + why);
        });
        if (!d.allowed()) {
            String message = message(denied, w) + refused.map(why -> "; break-glass not honoured: " + why).orElse("");
            return new AdmissionVerdict(r.apiVersion(), r.uid(), false, Optional.of(message), warnings, annotations);
        }
        // Allowed with denials: the deciding rule only audits (dry run); the user is told what enforcing would do.
        denied.forEach(v -> warnings.add("dry run, would be denied: " + v.message() + " (to fix: " + v.hint() + ")"));
        return new AdmissionVerdict(r.apiVersion(), r.uid(), true, Optional.empty(), warnings, annotations);
    }

    /** The policy's context of a pod: the cluster, its namespace and service account, and their Istio SPIFFE id. */
    static EvaluationContext context(AdmissionSettings settings, String namespace, String serviceAccount) {
        String spiffe = "spiffe://" + settings.trustDomain() + "/ns/" + namespace + "/sa/" + serviceAccount;
        return new EvaluationContext(settings.cluster(), Optional.of(namespace), Optional.of(serviceAccount), Optional.of(spiffe));
    }

    /** Whether a pod's labels or annotations ask for break-glass, as Google's are read. */
    static boolean breakGlassAsked(Map<String, String> labels, Map<String, String> annotations) {
        return "true".equals(lower(labels.get(BREAK_GLASS_LABEL))) || "true".equals(lower(annotations.get(BREAK_GLASS_ANNOTATION)));
    }

    // Binary Authorization's wording: one sentence per denied image, where the pod names it, and how to fix it.
    private static String message(List<ImageVerdict.Denied> denied, AdmissionRequest.Workload w) {
        return denied.stream().map(v -> v.message() + " (" + w.images().stream().filter(i -> i.image().equals(v.image()))
                .map(i -> i.field() + (i.container().isEmpty() ? "" : " \"" + i.container() + "\"")).collect(Collectors.joining(", "))
                + "; to fix: " + v.hint() + ")").collect(Collectors.joining("; "));
    }

    private AuditEvent record(AdmissionRequest r, AdmissionRequest.Workload w, PolicyDecision d, boolean breakGlass,
                              Optional<String> refused, EvaluationContext ctx) {
        String rule = (breakGlass ? "break-glass (" + BREAK_GLASS_LABEL + ") over: " : "")
                + refused.map(why -> "break-glass refused (" + why + "); ").orElse("") + PolicyService.rules(d);
        String justification = breakGlass ? BreakGlassSettings.justification(w.annotations()).map(j -> " justification=\"" + j + "\"")
                .orElse("") : "";
        return event(r, outcome(d, breakGlass), rule, "uid=" + r.uid() + " serviceAccount=" + w.namespace() + ":" + w.serviceAccount()
                + ctx.cluster().map(c -> " cluster=" + c).orElse("") + (r.dryRun() ? " dryRun=true" : "") + justification);
    }

    private static String outcome(PolicyDecision d, boolean breakGlass) {
        return breakGlass ? "allow" : PolicyService.outcome(d);
    }

    // Nothing to run (a delete, a connect, an object without a pod) or a kind the webhook does not judge.
    private AdmissionVerdict unjudged(AdmissionRequest r) {
        boolean judgedKind = AdmissionReviewParser.judges(r.kind(), r.subResource());
        String what = r.kind() + (r.subResource().isEmpty() ? "" : "/" + r.subResource());
        if (!judgedKind && settings.denyUnknownKinds()) {
            String rule = "not judged: " + what + " (admission.unknown_kinds: deny)";
            audit.record(event(r, "deny", rule, "uid=" + r.uid()));
            return new AdmissionVerdict(r.apiVersion(), r.uid(), false, Optional.of("Portcullis does not judge " + what
                    + " and is set to deny what it does not judge (admission.unknown_kinds: deny); to fix: leave " + what
                    + " out of the webhook's rules"), List.of(), Map.of("decision", "deny", "rules", rule));
        }
        String rule = judgedKind ? "nothing to run (" + r.operation() + ")" : "not judged: " + what;
        audit.record(event(r, "allow", rule, "uid=" + r.uid()));
        List<String> warnings = judgedKind ? List.of() : List.of("Portcullis does not judge " + r.kind()
                + (r.subResource().isEmpty() ? "" : "/" + r.subResource()) + ": admitted without an image policy check");
        return new AdmissionVerdict(r.apiVersion(), r.uid(), true, Optional.empty(), warnings, Map.of("decision", "allow", "rules", rule));
    }

    private AuditEvent event(AdmissionRequest r, String decision, String rule, String detail) {
        String images = r.workload().map(w -> " images=" + String.join(",", w.distinctImages())).orElse("");
        return new AuditEvent(clock.instant(), "admission", "validate", r.user(), "", r.object() + images, decision, rule, detail);
    }

    private static String lower(String s) {
        return s == null ? null : s.strip().toLowerCase(Locale.ROOT);
    }
}
