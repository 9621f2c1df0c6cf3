package dev.portcullis.admission;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.util.TokenBuffer;
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

    /** @param object kept as its tokens, read as a pod or a controller once the kind says which */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Request(String uid, Gvk kind, Gvr resource, String subResource, String name, String namespace, String operation,
                   UserInfo userInfo, TokenBuffer object, Boolean dryRun) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Gvk(String group, String version, String kind) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Gvr(String group, String version, String resource) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserInfo(String username, List<String> groups) {}

    /**
     * The object of a review of a kind judged, read in one pass whatever the kind: a Pod's spec is a pod
     * spec, a controller's has the {@code template}, a CronJob's the {@code jobTemplate}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Workload(Metadata metadata, WorkloadSpec spec) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record WorkloadSpec(String serviceAccountName, String serviceAccount, List<Container> containers,
                        List<Container> initContainers, List<Container> ephemeralContainers, PodTemplate template,
                        JobTemplate jobTemplate) {
        PodSpec podSpec() {
            return new PodSpec(serviceAccountName, serviceAccount, containers, initContainers, ephemeralContainers);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record JobTemplate(JobSpec spec) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record JobSpec(PodTemplate template) {}

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
