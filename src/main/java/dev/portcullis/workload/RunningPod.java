package dev.portcullis.workload;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod as the cluster runs it: where (namespace, service account), what made it (its controller), its
 * labels and annotations, and the image of every container.
 *
 * @param owner the controller that made it, {@code ReplicaSet/web-7d4b9}, or empty for a bare pod
 * @param podIps the pod's addresses (none before it is scheduled and started)
 * @param hostIp the address of the node it runs on, or empty before it is scheduled
 */
public record RunningPod(String uid, String namespace, String name, String serviceAccount, String owner,
                         Map<String, String> labels, Map<String, String> annotations, List<Container> containers,
                         List<String> podIps, String hostIp) {
    public RunningPod {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(owner, "owner");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        containers = List.copyOf(containers);
        podIps = List.copyOf(podIps);
        Objects.requireNonNull(hostIp, "hostIp");
    }

    /** The distinct images, in the order the containers name them. */
    public List<String> distinctImages() {
        return containers.stream().map(Container::image).distinct().toList();
    }

    /** {@code web/shop-7d4b9-x2k (ReplicaSet/shop-7d4b9)}: what an operator looks for. */
    public String workload() {
        return namespace + "/" + name + (owner.isEmpty() ? "" : " (" + owner + ")");
    }

    /**
     * One container's image, as it runs: by digest when the kubelet reports the digest it pulled for a
     * tag, so that what is judged is what runs.
     *
     * @param field where the pod names it, {@code containers[0]}
     */
    public record Container(String field, String name, String image) {
        public Container {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(name, "name");
            if (image == null || image.isBlank()) {
                throw new IllegalArgumentException(field + " names no image");
            }
        }
    }
}
