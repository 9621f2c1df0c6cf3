package dev.portcullis.testbed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * AdmissionReviews as the API server sends them (the shape of the Kubernetes API reference: uid, kind,
 * resource, requestKind, userInfo, object, oldObject, options, dryRun), around the objects in
 * {@code src/test/resources/admission}, which hold what the API server has after defaulting.
 */
public final class AdmissionReviews {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One judged kind: the fixture's name, the GroupVersionKind and the resource the API server names. */
    public record Kind(String fixture, String group, String version, String kind, String resource, String subResource) {
        @Override
        public String toString() {
            return fixture;
        }

        /** {@code group/Kind}, as Portcullis names it ({@code Kind} for the core group). */
        public String qualified() {
            return group.isEmpty() ? kind : group + "/" + kind;
        }
    }

    /** Every kind the webhook judges. */
    public static final List<Kind> KINDS = List.of(
            new Kind("pod", "", "v1", "Pod", "pods", ""),
            new Kind("pod-ephemeralcontainers", "", "v1", "Pod", "pods", "ephemeralcontainers"),
            new Kind("deployment", "apps", "v1", "Deployment", "deployments", ""),
            new Kind("replicaset", "apps", "v1", "ReplicaSet", "replicasets", ""),
            new Kind("statefulset", "apps", "v1", "StatefulSet", "statefulsets", ""),
            new Kind("daemonset", "apps", "v1", "DaemonSet", "daemonsets", ""),
            new Kind("job", "batch", "v1", "Job", "jobs", ""),
            new Kind("cronjob", "batch", "v1", "CronJob", "cronjobs", ""),
            new Kind("replicationcontroller", "", "v1", "ReplicationController", "replicationcontrollers", ""));

    private AdmissionReviews() {}

    /** A self-signed CA made by openssl as a reader makes one: {@code ca.crt} and {@code ca.key} in {@code dir}. */
    public static void opensslCa(Path dir) {
        Processes.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=portcullis-ca", "-days", "1");
    }

    /** The object of a fixture with its images ({@code IMAGE_APP}, {@code IMAGE_INIT}, {@code IMAGE_DEBUG}) replaced. */
    public static ObjectNode object(Kind k, String app, String init, String debug) {
        try (InputStream in = AdmissionReviews.class.getResourceAsStream("/admission/" + k.fixture() + ".json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("IMAGE_APP", app).replace("IMAGE_INIT", init).replace("IMAGE_DEBUG", debug);
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CREATE (UPDATE for the ephemeral-containers subresource) review of {@code object}, in {@code apiVersion}. */
    public static String review(String apiVersion, Kind k, String uid, ObjectNode object, boolean dryRun) {
        boolean ephemeral = k.subResource().equals("ephemeralcontainers");
        Map<String, Object> gvk = Map.of("group", k.group(), "version", k.version(), "kind", k.kind());
        Map<String, Object> gvr = Map.of("group", k.group(), "version", k.version(), "resource", k.resource());
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("uid", uid);
        request.put("kind", gvk);
        request.put("resource", gvr);
        if (!k.subResource().isEmpty()) {
            request.put("subResource", k.subResource());
        }
        request.put("requestKind", gvk);
        request.put("requestResource", gvr);
        if (!k.subResource().isEmpty()) {
            request.put("requestSubResource", k.subResource());
        }
        request.put("name", object.path("metadata").path("name").asText());
        request.put("namespace", object.path("metadata").path("namespace").asText());
        request.put("operation", ephemeral ? "UPDATE" : "CREATE");
        request.put("userInfo", Map.of("username", "alice@example.com", "uid", "014fbff9a07c",
                "groups", List.of("system:authenticated", "developers"), "extra", Map.of("scopes", List.of("openid"))));
        request.put("object", object);
        request.put("oldObject", ephemeral ? object : null);
        request.put("dryRun", dryRun);
        request.put("options", Map.of("apiVersion", "meta.k8s.io/v1", "kind", ephemeral ? "UpdateOptions" : "CreateOptions",
                "fieldManager", "kubectl-client-side-apply", "fieldValidation", "Strict"));
        try {
            return JSON.writeValueAsString(Map.of("apiVersion", apiVersion, "kind", "AdmissionReview", "request", request));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reference's own example: a Deployment's scale subresource, a kind the webhook does not judge. */
    public static String scaleReview() {
        try (InputStream in = AdmissionReviews.class.getResourceAsStream("/admission/review-scale.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
