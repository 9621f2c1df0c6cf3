package dev.portcullis.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portcullis.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The ValidatingWebhookConfiguration ({@code admissionregistration.k8s.io/v1}) that sends the API
 * server's reviews of pods and pod-template owners to the webhook behind a Service: fail closed
 * ({@code failurePolicy: Fail}), no side effects, and never for its own namespace or kube-system, so
 * that a webhook that is down cannot keep itself (or the control plane) from starting again.
 *
 * @param caBundle PEM of the CA certificates that sign the webhook's serving certificate
 */
public record WebhookManifest(String namespace, String service, String caBundle, int port, int timeoutSeconds, String path) {
    /** The webhook's name in the configuration: Kubernetes asks for a name of three DNS labels or more. */
    public static final String WEBHOOK_NAME = "images.portcullis.dev";
    public static final String DEFAULT_PATH = "/admission/validate";
    // A Service's name is a DNS-1035 label, a namespace's a DNS-1123 label, as the API server checks them.
    private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_1123 = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");
    private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR).build();

    public WebhookManifest {
        if (namespace == null || !DNS_1123.matcher(namespace).matches()) {
            throw new AdmissionException("--namespace must be a namespace's name (lower-case letters, digits and '-', at most 63), not "
                    + quoted(namespace));
        }
        if (service == null || !DNS_1035.matcher(service).matches()) {
            throw new AdmissionException("--service must be a Service's name (a lower-case letter first, then letters, digits and '-', "
                    + "at most 63), not " + quoted(service));
        }
        if (caBundle == null || !caBundle.contains("-----BEGIN CERTIFICATE-----")) {
            throw new AdmissionException("the caBundle must hold a PEM certificate");
        }
        if (port < 1 || port > 65535) {
            throw new AdmissionException("--port must be between 1 and 65535, not " + port);
        }
        // The API server refuses a timeoutSeconds outside 1..30.
        if (timeoutSeconds < 1 || timeoutSeconds > 30) {
            throw new AdmissionException("--timeout-seconds must be between 1 and 30 (the API server's limits), not " + timeoutSeconds);
        }
        if (path == null || !PATH.matcher(path).matches() || path.contains("//")) {
            throw new AdmissionException("--path must be a URL path starting with '/', not " + quoted(path));
        }
    }

    /** With the CA certificates of a PEM file: only its certificates go into the bundle, and a file with a private key is refused. */
    public static WebhookManifest of(String namespace, String service, Path caFile, int port, int timeoutSeconds, String path) {
        if (!Files.isRegularFile(caFile)) {
            throw new AdmissionException("--ca " + caFile + ": no such file");
        }
        if (!Files.isReadable(caFile)) {
            throw new AdmissionException("--ca " + caFile + ": not readable");
        }
        List<X509Certificate> certs;
        try {
            if (Files.size(caFile) <= 1024 * 1024 && Files.readString(caFile, StandardCharsets.UTF_8).contains("PRIVATE KEY-----")) {
                throw new AdmissionException("--ca " + caFile + ": holds a private key; give the CA's certificate only (the bundle is public)");
            }
            certs = Pem.readCertificates(caFile);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new AdmissionException("--ca " + caFile + ": cannot read it");
        } catch (RuntimeException e) {
            if (e instanceof AdmissionException a) {
                throw a;
            }
            throw new AdmissionException("--ca " + caFile + ": not a PEM certificate (" + e.getMessage() + ")");
        }
        return new WebhookManifest(namespace, service, certs.stream().map(Pem::write).collect(Collectors.joining()), port,
                timeoutSeconds, path);
    }

    /** The configuration as the API server reads it. */
    public Map<String, Object> document() {
        Map<String, Object> webhook = webhook(WEBHOOK_NAME, path, List.of(
                rule("", List.of("CREATE", "UPDATE"), "pods", "pods/ephemeralcontainers", "replicationcontrollers"),
                rule("apps", List.of("CREATE", "UPDATE"), "deployments", "replicasets", "statefulsets", "daemonsets"),
                rule("batch", List.of("CREATE", "UPDATE"), "jobs", "cronjobs")), "Fail");
        return configuration("ValidatingWebhookConfiguration", webhook);
    }

    /** The mutating webhook's name: it pins tags to digests. */
    public static final String MUTATING_NAME = "pins.portcullis.dev";

    /**
     * The MutatingWebhookConfiguration for {@code admission.mutate}: Pods only, on CREATE (never the
     * controllers, so that a GitOps tool sees no drift); {@code failurePolicy: Ignore}, since a pod
     * whose tags could not be pinned is still judged, as tags, by the validating webhook, which fails
     * closed.
     */
    public Map<String, Object> mutatingDocument() {
        String mutatePath = path.endsWith("/validate") ? path.substring(0, path.length() - "validate".length()) + "mutate"
                : "/admission/mutate";
        Map<String, Object> webhook = webhook(MUTATING_NAME, mutatePath, List.of(rule("", List.of("CREATE"), "pods")), "Ignore");
        webhook.put("reinvocationPolicy", "IfNeeded");
        return configuration("MutatingWebhookConfiguration", webhook);
    }

    // One webhook of either configuration: the Service, the CA, the rules and what a failure to answer does.
    private Map<String, Object> webhook(String name, String webhookPath, List<Map<String, Object>> rules, String failurePolicy) {
        Map<String, Object> serviceRef = new LinkedHashMap<>();
        serviceRef.put("namespace", namespace);
        serviceRef.put("name", service);
        serviceRef.put("path", webhookPath);
        serviceRef.put("port", port);
        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("name", name);
        webhook.put("admissionReviewVersions", List.of("v1", "v1beta1"));
        webhook.put("clientConfig", map("service", serviceRef,
                "caBundle", Base64.getEncoder().encodeToString(caBundle.getBytes(StandardCharsets.US_ASCII))));
        webhook.put("rules", rules);
        webhook.put("failurePolicy", failurePolicy);
        webhook.put("matchPolicy", "Equivalent");
        webhook.put("sideEffects", "None");
        webhook.put("timeoutSeconds", timeoutSeconds);
        // Its own namespace left alone, so that its pods can start again while it is down; kube-system too.
        webhook.put("namespaceSelector", map("matchExpressions", List.of(map("key", "kubernetes.io/metadata.name",
                "operator", "NotIn", "values", namespace.equals("kube-system") ? List.of(namespace) : List.of(namespace, "kube-system")))));
        return webhook;
    }

    private Map<String, Object> configuration(String kind, Map<String, Object> webhook) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "admissionregistration.k8s.io/v1");
        doc.put("kind", kind);
        doc.put("metadata", map("name", service, "labels", map("app.kubernetes.io/name", "portcullis")));
        doc.put("webhooks", List.of(webhook));
        return doc;
    }

    /** {@link #document()} as YAML, for {@code kubectl apply -f -}. */
    public String yaml() {
        return yaml(false);
    }

    /** The validating configuration and, with {@code mutating}, the mutating one after it, as YAML documents. */
    public String yaml(boolean mutating) {
        try {
            return YAML.writeValueAsString(document()) + (mutating ? "---\n" + YAML.writeValueAsString(mutatingDocument()) : "");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the webhook configuration", e);
        }
    }

    private static Map<String, Object> rule(String group, List<String> operations, String... resources) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("apiGroups", List.of(group));
        r.put("apiVersions", List.of("v1"));
        r.put("operations", operations);
        r.put("resources", List.of(resources));
        r.put("scope", "Namespaced");
        return r;
    }

    // Keys in the order given, so the document reads the same every time.
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static String quoted(String s) {
        return s == null ? "none" : "'" + (s.length() > 100 ? s.substring(0, 100) + "…" : s) + "'";
    }
}
