package dev.portcullis.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.StrictJson;
import dev.portcullis.image.ImageReference;
import dev.portcullis.image.InvalidReferenceException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mutating webhook: a Pod's images named by tag are pinned to the digest the registry serves now
 * ({@code name:tag@sha256:...}), as a JSONPatch, so that the pod runs what was judged. Controllers are
 * never patched — a GitOps tool would see its Deployment drift and fight the webhook — their pods are,
 * as they are made. A tag that cannot be resolved now is left as it is, with a warning: the validating
 * webhook then judges it as a tag. Never denies.
 */
public final class AdmissionMutator {
    private final TagResolver resolver;
    private final AuditLog audit;
    private final java.time.Clock clock;

    AdmissionMutator(TagResolver resolver, AuditLog audit, java.time.Clock clock) {
        this.resolver = resolver;
        this.audit = audit;
        this.clock = clock;
    }

    /** The answer to a review sent to {@code /admission/mutate}. */
    public Map<String, Object> mutate(AdmissionRequest r) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("uid", r.uid());
        response.put("allowed", true);
        List<String> warnings = new ArrayList<>();
        List<Map<String, Object>> patch = new ArrayList<>();
        boolean pod = r.kind().equals("Pod") && r.subResource().isEmpty() && r.operation().equals("CREATE");
        if (pod && r.workload().isPresent()) {
            for (AdmissionRequest.Image image : r.workload().get().images()) {
                pin(image).ifPresent(p -> {
                    if (p.value() != null) {
                        patch.add(Map.of("op", "replace", "path", p.path(), "value", p.value()));
                    } else {
                        warnings.add(p.warning());
                    }
                });
            }
        }
        if (!patch.isEmpty()) {
            // The pod is changed: recorded before the answer that changes it, as any decision is.
            audit.record(new AuditEvent(clock.instant(), "admission", "mutate", r.user(), "", r.object(), "allow",
                    "tags pinned to the digests their registries serve", String.join(" ", patch.stream()
                            .map(p -> p.get("path") + "=" + p.get("value")).toList()) + " uid=" + r.uid()));
            response.put("patchType", "JSONPatch");
            try {
                response.put("patch", Base64.getEncoder().encodeToString(StrictJson.mapper().writeValueAsBytes(patch)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a JSONPatch", e);
            }
        }
        if (!warnings.isEmpty()) {
            response.put("warnings", warnings);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiVersion", r.apiVersion());
        out.put("kind", "AdmissionReview");
        out.put("response", response);
        return out;
    }

    private record Pin(String path, String value, String warning) {}

    private Optional<Pin> pin(AdmissionRequest.Image image) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(image.image());
        } catch (InvalidReferenceException e) {
            return Optional.empty(); // the validating webhook says what is wrong with it
        }
        if (ref.digestOptional().isPresent()) {
            return Optional.empty();
        }
        String path = pointer(image.field());
        return switch (resolver.resolve(ref)) {
            case TagResolver.Answer.Resolved d -> Optional.of(new Pin(path, image.image() + "@" + d.digest(), null));
            case TagResolver.Answer.Unresolved u -> Optional.of(new Pin(path, null, "image " + image.image() + " (" + image.field()
                    + ") left as a tag: " + u.reason()));
        };
    }

    // containers[2] -> /spec/containers/2/image
    private static String pointer(String field) {
        int open = field.indexOf('[');
        return "/spec/" + field.substring(0, open) + "/" + field.substring(open + 1, field.length() - 1) + "/image";
    }
}
