package dev.portcullis.admission;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The parts of an AdmissionReview ({@code admission.k8s.io/v1} and {@code v1beta1}, the same shape)
 * and of the objects in it that the webhook reads, as the API server sends them; every other field is
 * passed over, since the API server adds fields with new Kubernetes versions.
 */
final class Wire {
    private Wire() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Review(String apiVersion, String kind, Request request) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Request(String uid, Gvk kind, Gvr resource, String subResource, String name, String namespace, String operation,
                   UserInfo userInfo, JsonNode object, Boolean dryRun) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Gvk(String group, String version, String kind) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Gvr(String group, String version, String resource) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserInfo(String username, List<String> groups) {}

    /** A Pod, or the {@code template} of a controller: the same metadata and spec. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PodTemplate(Metadata metadata, PodSpec spec) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Metadata(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PodSpec(String serviceAccountName, String serviceAccount, List<Container> containers,
                   List<Container> initContainers, List<Container> ephemeralContainers) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Container(String name, String image) {}
}
