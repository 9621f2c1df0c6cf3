package dev.portcullis.inventory;

import dev.portcullis.workload.PodInventory;
import dev.portcullis.workload.RunningPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's pods as the {@code workload} capability already watches them (no second watch): the
 * pods' addresses and/or their nodes' ({@code hostIP}: a node that runs no watched pod is not in the
 * set), of some namespaces and pod labels. Unchanged while the watch saw no change; empty until the
 * watch has read its first full list.
 */
public final class KubernetesSource implements Source {
    private final SourceSettings.Kubernetes settings;
    private final PodInventory pods;
    private long seen = -1;

    public KubernetesSource(SourceSettings.Kubernetes settings, PodInventory pods) {
        this.settings = settings;
        this.pods = pods;
    }

    @Override
    public String kind() {
        return "kubernetes";
    }

    @Override
    public Optional<List<Cidr>> fetch(Pacer pacer) {
        if (!pods.synced()) {
            throw new SourceException("the cluster's pods are not listed yet");
        }
        long version = pods.version();
        if (version == seen) {
            return Optional.empty();
        }
        List<Cidr> out = new ArrayList<>();
        for (RunningPod pod : pods.pods()) {
            if (!settings.namespaces().isEmpty() && !settings.namespaces().contains(pod.namespace())) {
                continue;
            }
            if (!settings.labels().entrySet().stream().allMatch(e -> e.getValue().equals(pod.labels().get(e.getKey())))) {
                continue;
            }
            if (settings.pods()) {
                pod.podIps().forEach(ip -> add(ip, out));
            }
            if (settings.nodes()) {
                add(pod.hostIp(), out);
            }
        }
        seen = version;
        return Optional.of(out);
    }

    // The API server's addresses are literals; one that is not is skipped rather than failing the set.
    private static void add(String ip, List<Cidr> out) {
        if (!ip.isEmpty()) {
            IpLiteral.bytes(ip).ifPresent(b -> out.add(new Cidr(b, b.length * 8)));
        }
    }
}
