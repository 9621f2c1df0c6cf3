package dev.portcullis.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads fabric8's Pod into a {@link RunningPod}; a pod that has finished, or names no image, is none. */
final class PodReader {
    private PodReader() {
    }

    static Optional<RunningPod> read(Pod pod) {
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        if (meta == null || meta.getUid() == null || spec == null) {
            return Optional.empty();
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return Optional.empty(); // nothing runs any more
        }
        Map<String, String> digests = new HashMap<>();
        if (pod.getStatus() != null) {
            statuses(digests, pod.getStatus().getContainerStatuses());
            statuses(digests, pod.getStatus().getInitContainerStatuses());
            statuses(digests, pod.getStatus().getEphemeralContainerStatuses());
        }
        List<RunningPod.Container> containers = new ArrayList<>();
        try {
            add(containers, "containers", spec.getContainers(), digests);
            add(containers, "initContainers", spec.getInitContainers(), digests);
            List<EphemeralContainer> ephemeral = spec.getEphemeralContainers();
            if (ephemeral != null) {
                for (int i = 0; i < ephemeral.size(); i++) {
                    EphemeralContainer c = ephemeral.get(i);
                    containers.add(new RunningPod.Container("ephemeralContainers[" + i + "]", text(c.getName()),
                            running(c.getImage(), digests.get(c.getName()))));
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the API server does not accept such a pod; nothing to judge
        }
        if (containers.isEmpty()) {
            return Optional.empty();
        }
        String sa = spec.getServiceAccountName() != null && !spec.getServiceAccountName().isBlank() ? spec.getServiceAccountName()
                : spec.getServiceAccount() != null && !spec.getServiceAccount().isBlank() ? spec.getServiceAccount() : "default";
        String owner = "";
        if (meta.getOwnerReferences() != null) {
            for (OwnerReference o : meta.getOwnerReferences()) {
                if (Boolean.TRUE.equals(o.getController()) || owner.isEmpty()) {
                    owner = o.getKind() + "/" + o.getName();
                }
            }
        }
        List<String> podIps = new ArrayList<>();
        String hostIp = "";
        if (pod.getStatus() != null) {
            if (pod.getStatus().getPodIPs() != null) {
                pod.getStatus().getPodIPs().forEach(ip -> {
                    if (ip != null && ip.getIp() != null && !ip.getIp().isBlank()) {
                        podIps.add(ip.getIp());
                    }
                });
            }
            if (podIps.isEmpty() && pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isBlank()) {
                podIps.add(pod.getStatus().getPodIP());
            }
            hostIp = text(pod.getStatus().getHostIP());
        }
        return Optional.of(new RunningPod(meta.getUid(), text(meta.getNamespace()), text(meta.getName()), sa, owner,
                strings(meta.getLabels()), strings(meta.getAnnotations()), containers, podIps, hostIp));
    }

    private static void add(List<RunningPod.Container> out, String field, List<Container> cs, Map<String, String> digests) {
        if (cs == null) {
            return;
        }
        for (int i = 0; i < cs.size(); i++) {
            Container c = cs.get(i);
            out.add(new RunningPod.Container(field + "[" + i + "]", text(c.getName()), running(c.getImage(), digests.get(c.getName()))));
        }
    }

    private static void statuses(Map<String, String> out, List<ContainerStatus> statuses) {
        if (statuses == null) {
            return;
        }
        for (ContainerStatus s : statuses) {
            if (s.getName() != null && s.getImageID() != null) {
                out.put(s.getName(), s.getImageID());
            }
        }
    }

    /**
     * The image as it runs: a tag with the digest the kubelet reports having pulled
     * ({@code docker-pullable://repo@sha256:...}) becomes {@code repo@sha256:...}; otherwise as the pod names it.
     */
    static String running(String image, String imageId) {
        if (image == null || image.contains("@") || imageId == null) {
            return image;
        }
        int at = imageId.indexOf("@sha256:");
        if (at < 0) {
            return image;
        }
        String digest = imageId.substring(at + 1);
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            return image;
        }
        // The repository as the pod names it (the kubelet's may be normalised differently), without its tag.
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        String repo = colon > slash ? image.substring(0, colon) : image;
        return repo + "@" + digest;
    }

    private static Map<String, String> strings(Map<String, String> m) {
        Map<String, String> out = new HashMap<>();
        if (m != null) {
            m.forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
