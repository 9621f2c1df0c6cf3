package dev.portcullis.admission;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.portcullis.config.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an AdmissionReview as the API server sends it into an {@link AdmissionRequest}: a review that
 * cannot be answered (not JSON, not an AdmissionReview, no uid, more containers than allowed) is an
 * {@link AdmissionException} naming the reason; never more work than the body's size.
 */
public final class AdmissionReviewParser {
    /** The AdmissionReview versions the API server sends, answered in the same. */
    public static final Set<String> VERSIONS = Set.of("admission.k8s.io/v1", "admission.k8s.io/v1beta1");
    /** Owners of a pod template at {@code spec.template}, as {@code group/Kind} ({@code Kind} for the core group). */
    private static final Set<String> TEMPLATE_OWNERS = Set.of("apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet",
            "apps/DaemonSet", "batch/Job", "ReplicationController");
    private static final String CRONJOB = "batch/CronJob";
    private static final String POD = "Pod";

    private final int maxContainers;

    public AdmissionReviewParser(int maxContainers) {
        this.maxContainers = maxContainers;
    }

    /** The request of the review in {@code json}. */
    public AdmissionRequest parse(byte[] json) {
        Wire.Review review;
        try {
            // One pass over the body: the review into its records, the object kept as its tokens.
            review = StrictJson.read(json, Wire.Review.class);
        } catch (StrictJson.WrongTypeException e) {
            if (e.path().isEmpty()) {
                throw new AdmissionException("the body must be a JSON object (an AdmissionReview)");
            }
            throw new AdmissionException("field " + e.path() + " has the wrong type");
        } catch (StrictJson.InvalidJsonException e) {
            throw new AdmissionException("the body is not one JSON AdmissionReview: " + e.getMessage());
        }
        if (review == null) {
            throw new AdmissionException("the body must be a JSON object (an AdmissionReview), not null");
        }
        if (!"AdmissionReview".equals(review.kind())) {
            throw new AdmissionException("kind must be AdmissionReview, not " + quoted(review.kind()));
        }
        if (review.apiVersion() == null || !VERSIONS.contains(review.apiVersion())) {
            throw new AdmissionException("apiVersion must be admission.k8s.io/v1 or admission.k8s.io/v1beta1, not "
                    + quoted(review.apiVersion()));
        }
        Wire.Request r = review.request();
        if (r == null) {
            throw new AdmissionException("request is missing: an AdmissionReview from the API server has one");
        }
        if (r.kind() == null || blank(r.kind().kind())) {
            throw new AdmissionException("request.kind is missing: the API server names the kind of the object");
        }
        String kind = blank(r.kind().group()) ? r.kind().kind() : r.kind().group() + "/" + r.kind().kind();
        String sub = text(r.subResource());
        String operation = text(r.operation());
        String namespace = text(r.namespace());
        AdmissionRequest.Workload workload = null;
        boolean judged = judges(kind, sub);
        // A delete (no object) or a connect runs nothing new; a kind not judged is answered by the reviewer.
        if (judged && r.object() != null && !operation.equals("DELETE") && !operation.equals("CONNECT")) {
            workload = workload(kind, r.object(), namespace);
        }
        return new AdmissionRequest(review.apiVersion(), r.uid(), kind, sub, operation,
                namespace.isEmpty() && workload != null ? workload.namespace() : namespace, text(r.name()),
                r.userInfo() == null ? "" : text(r.userInfo().username()), groups(r.userInfo()), Boolean.TRUE.equals(r.dryRun()),
                Optional.ofNullable(workload));
    }

    /** Whether reviews of this kind ({@code group/Kind}) and subresource are judged: pods and pod-template owners. */
    public static boolean judges(String kind, String subResource) {
        return (kind.equals(POD) && (subResource.isEmpty() || subResource.equals("ephemeralcontainers")))
                || (subResource.isEmpty() && (kind.equals(CRONJOB) || TEMPLATE_OWNERS.contains(kind)));
    }

    private AdmissionRequest.Workload workload(String kind, com.fasterxml.jackson.databind.util.TokenBuffer tokens,
                                               String requestNamespace) {
        Wire.Workload object;
        try (com.fasterxml.jackson.core.JsonParser p = tokens.asParser(StrictJson.mapper())) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null; // not an object: nothing to run that this could read
            }
            object = StrictJson.mapper().readValue(p, Wire.Workload.class);
        } catch (MismatchedInputException e) {
            throw new AdmissionException("field " + path("request.object", e) + " has the wrong type");
        } catch (java.io.IOException e) {
            throw new AdmissionException("the AdmissionReview cannot be read at request.object");
        }
        String path = kind.equals(POD) ? "" : kind.equals(CRONJOB) ? ".spec.jobTemplate.spec.template" : ".spec.template";
        Wire.PodTemplate pod = kind.equals(POD) ? new Wire.PodTemplate(object.metadata(), object.spec() == null ? null
                : object.spec().podSpec())
                : kind.equals(CRONJOB) ? cronTemplate(object) : object.spec() == null ? null : object.spec().template();
        if (pod == null) {
            throw new AdmissionException("request.object" + path + " is missing: a " + kind + " has a pod template there");
        }
        Wire.Metadata own = object.metadata();
        Wire.Metadata meta = pod.metadata() == null ? new Wire.Metadata(null, null, null, null) : pod.metadata();
        if (pod.spec() == null) {
            throw new AdmissionException("the pod spec of the " + kind + " is missing");
        }
        Wire.PodSpec spec = pod.spec();
        int count = size(spec.containers()) + size(spec.initContainers()) + size(spec.ephemeralContainers());
        if (count > maxContainers) {
            throw new AdmissionException("the " + kind + " names " + count + " containers, more than the " + maxContainers
                    + " one review may name (admission.max_containers)");
        }
        List<AdmissionRequest.Image> images = new ArrayList<>(count);
        add(images, "containers", spec.containers());
        add(images, "initContainers", spec.initContainers());
        add(images, "ephemeralContainers", spec.ephemeralContainers());
        if (images.isEmpty()) {
            throw new AdmissionException("the " + kind + " names no container");
        }
        String namespace = !requestNamespace.isEmpty() ? requestNamespace
                : own != null && !blank(own.namespace()) ? own.namespace() : "default";
        // Kubernetes runs a pod without one as the namespace's "default" service account.
        String sa = !blank(spec.serviceAccountName()) ? spec.serviceAccountName()
                : !blank(spec.serviceAccount()) ? spec.serviceAccount() : "default";
        // The pod's labels and annotations (a controller's pod template's), not the controller's own: break-glass is
        // on the pod, as Google has it, so the pods a controller makes carry it too and are admitted like it.
        return new AdmissionRequest.Workload(namespace, sa, strings(meta.labels()), strings(meta.annotations()), images);
    }

    private static void add(List<AdmissionRequest.Image> out, String field, List<Wire.Container> containers) {
        if (containers == null) {
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            Wire.Container c = containers.get(i);
            String where = field + "[" + i + "]";
            if (c == null || blank(c.image())) {
                throw new AdmissionException(where + " names no image");
            }
            out.add(new AdmissionRequest.Image(where, c.name() == null ? "" : c.name(), c.image().strip()));
        }
    }

    private static Map<String, String> strings(Map<String, String> m) {
        Map<String, String> out = new java.util.HashMap<>();
        if (m != null) {
            m.forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    private static Wire.PodTemplate cronTemplate(Wire.Workload object) {
        Wire.WorkloadSpec spec = object.spec();
        return spec == null || spec.jobTemplate() == null || spec.jobTemplate().spec() == null ? null
                : spec.jobTemplate().spec().template();
    }

    /** Where in the review the mismatch is: {@code request.object.spec.containers[0]}. */
    private static String path(String where, MismatchedInputException e) {
        String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return field.isEmpty() ? where : where + "." + field;
    }

    private static List<String> groups(Wire.UserInfo user) {
        return user == null || user.groups() == null ? List.of()
                : user.groups().stream().filter(g -> g != null && !g.isBlank()).toList();
    }

    private static int size(List<?> l) {
        return l == null ? 0 : l.size();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String quoted(String s) {
        return s == null ? "none" : "'" + (s.length() > 100 ? s.substring(0, 100) + "…" : s) + "'";
    }
}
