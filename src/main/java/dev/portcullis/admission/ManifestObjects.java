package dev.portcullis.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects of a manifest ({@code kubectl apply -f}'s YAML or JSON, several documents, {@code kind:
 * List} unfolded) as the AdmissionReviews the API server would send the webhook for their creation:
 * what {@code admission explain} judges, offline or through a server. Bad input is an
 * {@link AdmissionException} naming the document, its line and the field.
 */
public final class ManifestObjects {
    /** The uid of the reviews made here; there is no API server request to name. */
    public static final String UID_PREFIX = "explain-";
    // group/Kind -> resource, for the kinds the webhook judges (the core group has no prefix).
    private static final Map<String, String> RESOURCES = Map.of("Pod", "pods", "ReplicationController", "replicationcontrollers",
            "apps/Deployment", "deployments", "apps/ReplicaSet", "replicasets", "apps/StatefulSet", "statefulsets",
            "apps/DaemonSet", "daemonsets", "batch/Job", "jobs", "batch/CronJob", "cronjobs");
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private ManifestObjects() {}

    /** One object of the manifest: where it is, and its review when it is of a kind the webhook judges. */
    public record Entry(String where, String kind, String name, boolean judged, byte[] review) {
        /** {@code manifest.yaml document 2 (line 14), apps/Deployment web/shop}. */
        public String label() {
            return where + ", " + kind + " " + name;
        }
    }

    /** Every object of {@code text}, in order; {@code namespace} for those that name none (kubectl's default). */
    public static List<Entry> read(String text, String source, String namespace) {
        List<Entry> out = new ArrayList<>();
        try (JsonParser p = YAML.createParser(text)) {
            int document = 0;
            while (p.nextToken() != null) {
                document++;
                int line = p.currentTokenLocation().getLineNr();
                String where = source + " document " + document + " (line " + line + ")";
                JsonNode node = p.currentToken() == JsonToken.VALUE_NULL ? null : YAML.readTree(p);
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue; // an empty document, as between two '---'
                }
                add(out, node, where, namespace);
            }
        } catch (JsonProcessingException e) {
            // SnakeYAML says what is wrong and where (its problem mark); Jackson's own errors, where they are.
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
                throw new AdmissionException(source + " line " + (y.getProblemMark().getLine() + 1) + ": not YAML: " + y.getProblem());
            }
            var at = e.getLocation();
            throw new AdmissionException(source + (at == null ? "" : " line " + at.getLineNr()) + ": not YAML: "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new AdmissionException(source + ": cannot be read: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new AdmissionException(source + ": holds no object");
        }
        return out;
    }

    private static void add(List<Entry> out, JsonNode node, String where, String namespace) {
        if (!node.isObject()) {
            throw new AdmissionException(where + ": a Kubernetes object is a mapping, not " + node.getNodeType().name().toLowerCase());
        }
        String apiVersion = text(node, "apiVersion", where);
        String kind = text(node, "kind", where);
        if (kind.equals("List") && apiVersion.equals("v1")) {
            JsonNode items = node.path("items");
            if (!items.isArray()) {
                throw new AdmissionException(where + ": field items of a List must be a list of objects");
            }
            for (int i = 0; i < items.size(); i++) {
                add(out, items.get(i), where + " items[" + i + "]", namespace);
            }
            return;
        }
        JsonNode metadata = node.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isObject()) {
            throw new AdmissionException(where + ": field metadata must be a mapping");
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        String groupKind = group.isEmpty() ? kind : group + "/" + kind;
        String ns = metadata.path("namespace").isTextual() && !metadata.path("namespace").asText().isBlank()
                ? metadata.path("namespace").asText() : namespace;
        String name = metadata.path("name").isTextual() ? metadata.path("name").asText() : "";
        String label = ns + "/" + (name.isEmpty() ? "(generated)" : name);
        String resource = RESOURCES.get(groupKind);
        if (resource == null) {
            out.add(new Entry(where, groupKind, label, false, new byte[0]));
            return;
        }
        out.add(new Entry(where, groupKind, label, true, review(node, group, version, kind, resource, ns, name, out.size() + 1)));
    }

    // The review of a creation, in the shape the API server sends (a dry run: nothing is created).
    private static byte[] review(JsonNode object, String group, String version, String kind, String resource, String namespace,
                                 String name, int n) {
        ObjectNode review = YAML.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", UID_PREFIX + n);
        request.putObject("kind").put("group", group).put("version", version).put("kind", kind);
        request.putObject("resource").put("group", group).put("version", version).put("resource", resource);
        request.put("name", name);
        request.put("namespace", namespace);
        request.put("operation", "CREATE");
        request.putObject("userInfo").put("username", "portcullis-admission-explain");
        request.set("object", object);
        request.put("dryRun", true);
        return review.toString().getBytes(StandardCharsets.UTF_8); // JsonNode.toString writes JSON
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new AdmissionException(where + ": field " + field + " is " + (v.isMissingNode() ? "missing" : "not a name")
                    + ": every Kubernetes object has an apiVersion and a kind");
        }
        return v.asText();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
