package dev.portcullis.testbed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kubernetes manifests read into fabric8's typed model as strictly as the API server's field
 * validation: a field the model does not know fails. fabric8's classes keep unknown fields in an
 * {@code additionalProperties} map (a Jackson any-setter) and some ignore them outright; both are
 * turned off here, so a misspelt or misplaced field is an error naming it.
 */
public final class KubernetesModel {
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
            Map.entry("v1/Pod", io.fabric8.kubernetes.api.model.Pod.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", io.fabric8.kubernetes.api.model.rbac.ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class),
            Map.entry("admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
                    io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration.class),
            Map.entry("admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
                    io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration.class));

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                private static final long serialVersionUID = 1L;

                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                    return Boolean.FALSE;
                }

                @Override
                public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
                    return JsonIgnoreProperties.Value.empty();
                }
            })
            .build();

    private KubernetesModel() {}

    /** Every document of a multi-document YAML text as its typed object, in order; empty documents skipped. */
    public static List<HasMetadata> readAll(String yaml, String source) throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            int n = 0;
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                n++;
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                out.add(read(doc, source + " document " + n));
            }
        }
        return out;
    }

    private static HasMetadata read(JsonNode doc, String where) {
        String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        Class<? extends HasMetadata> cls = TYPES.get(type);
        if (cls == null) {
            throw new IllegalArgumentException(where + ": no typed model for " + type + " here");
        }
        HasMetadata object;
        try {
            object = STRICT.readValue(doc.toString(), cls);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " (" + type + "): " + e.getMessage(), e);
        }
        if (!object.getApiVersion().equals(doc.path("apiVersion").asText()) || !object.getKind().equals(doc.path("kind").asText())) {
            throw new IllegalArgumentException(where + ": read as " + object.getApiVersion() + "/" + object.getKind());
        }
        return object;
    }
}
