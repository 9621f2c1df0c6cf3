package dev.portcullis.admission;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One AdmissionReview's request as the webhook judges it: the version it was asked in (the answer is
 * in the same), its uid, what is asked about, and the workload when it is one of the kinds judged.
 *
 * @param kind      {@code group/Kind}, e.g. {@code apps/Deployment}, or {@code Pod} for the core group
 * @param groups    the requesting user's groups ({@code userInfo.groups}), for break-glass's allowed groups
 * @param workload  empty when there is nothing to judge: a delete, a kind or subresource not judged
 */
public record AdmissionRequest(String apiVersion, String uid, String kind, String subResource, String operation,
                               String namespace, String name, String user, List<String> groups, boolean dryRun,
                               Optional<Workload> workload) {
    public AdmissionRequest {
        groups = List.copyOf(groups);
        Objects.requireNonNull(apiVersion, "apiVersion");
        if (uid == null || uid.isBlank()) {
            throw new AdmissionException("request.uid is missing: the answer must name the request it answers");
        }
        Objects.requireNonNull(workload, "workload");
    }

    /** What the audit log and warnings name: {@code apps/Deployment web/app}, with the subresource if any. */
    public String object() {
        return kind + (subResource.isEmpty() ? "" : "/" + subResource) + " " + namespace + "/" + (name.isEmpty() ? "(generated)" : name);
    }

    /** A pod or pod template: where it runs (namespace, service account), its labels and annotations, and its images. */
    public record Workload(String namespace, String serviceAccount, java.util.Map<String, String> labels,
                           java.util.Map<String, String> annotations, List<Image> images) {
        public Workload {
            labels = java.util.Map.copyOf(labels);
            annotations = java.util.Map.copyOf(annotations);
            images = List.copyOf(images);
        }

        /** The distinct images, in the order the containers name them. */
        public List<String> distinctImages() {
            return images.stream().map(Image::image).distinct().toList();
        }
    }

    /** One container's image, with where it is named ({@code initContainers[0] "setup"}). */
    public record Image(String field, String container, String image) {}
}
