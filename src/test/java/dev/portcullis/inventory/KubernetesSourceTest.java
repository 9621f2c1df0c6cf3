package dev.portcullis.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.workload.PodInventory;
import dev.portcullis.workload.RunningPod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pod and node addresses from the pods the workload capability watches, without a second watch. */
class KubernetesSourceTest {
    private final PodInventory pods = new PodInventory();

    private static RunningPod pod(String uid, String namespace, Map<String, String> labels, List<String> ips, String host) {
        return new RunningPod(uid, namespace, uid, "default", "", labels, Map.of(),
                List.of(new RunningPod.Container("containers[0]", "c", "busybox:1")), ips, host);
    }

    private static List<String> texts(java.util.Optional<List<Cidr>> cidrs) {
        return cidrs.orElseThrow().stream().map(Cidr::toString).distinct().sorted().toList();
    }

    @Test
    void fetch_podsOfANamespaceAndLabel_readsTheirAddressesAndNodes() {
        pods.put(pod("a", "ci", Map.of("role", "runner"), List.of("10.8.0.7", "fd00::7"), "10.0.0.4"));
        pods.put(pod("b", "ci", Map.of("role", "web"), List.of("10.8.0.8"), "10.0.0.5"));
        pods.put(pod("c", "prod", Map.of("role", "runner"), List.of("10.8.1.9"), "10.0.0.6"));
        pods.put(pod("d", "ci", Map.of("role", "runner"), List.of(), ""));
        pods.markSynced();
        KubernetesSource nodes = new KubernetesSource(new SourceSettings.Kubernetes(List.of("ci"), Map.of("role", "runner"),
                false, true), pods);
        assertThat(texts(nodes.fetch(new Pacer(0)))).containsExactly("10.0.0.4");
        assertThat(nodes.fetch(new Pacer(0))).isEmpty();
        KubernetesSource both = new KubernetesSource(new SourceSettings.Kubernetes(List.of(), Map.of(), true, true), pods);
        assertThat(texts(both.fetch(new Pacer(0)))).containsExactly("10.0.0.4", "10.0.0.5", "10.0.0.6", "10.8.0.7", "10.8.0.8",
                "10.8.1.9", "fd00:0:0:0:0:0:0:7");

        pods.remove("a");
        assertThat(texts(nodes.fetch(new Pacer(0)))).isEmpty();
    }

    @Test
    void fetch_beforeTheFirstList_failsSoTheSetIsNotTakenForEmpty() {
        assertThatThrownBy(() -> new KubernetesSource(new SourceSettings.Kubernetes(List.of(), Map.of(), true, false), pods)
                .fetch(new Pacer(0))).hasMessage("the cluster's pods are not listed yet");
    }

    @Test
    void start_kubernetesSetWithoutThePodWatch_saysWhatToEnable() {
        InventorySettings s = InventorySettings.from(dev.portcullis.config.ConfigDocument.parse(
                "inventory: {sets: [{name: runners, kubernetes: {addresses: [pod]}}]}", "inv.yml", Map.of()).root());
        assertThatThrownBy(() -> Inventory.start(s, java.time.Clock.systemUTC())).hasMessageContaining("kubernetes.enabled: true");
    }
}
