package dev.portcullis.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class PodReaderTest {
    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withUid("u1").withNamespace("ci").withName("runner-1").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1").endContainer().endSpec();
    }

    @Test
    void read_scheduledPod_keepsItsAddressesAndItsNodes() {
        Pod p = pod().withNewStatus().withPhase("Running").withHostIP("10.0.0.4").withPodIP("10.8.0.7")
                .addNewPodIP().withIp("10.8.0.7").endPodIP().addNewPodIP().withIp("fd00::7").endPodIP().endStatus().build();
        RunningPod r = PodReader.read(p).orElseThrow();
        assertThat(r.podIps()).containsExactly("10.8.0.7", "fd00::7");
        assertThat(r.hostIp()).isEqualTo("10.0.0.4");
    }

    @Test
    void read_pendingPod_hasNoAddressesYet() {
        RunningPod r = PodReader.read(pod().withNewStatus().withPhase("Pending").endStatus().build()).orElseThrow();
        assertThat(r.podIps()).isEmpty();
        assertThat(r.hostIp()).isEmpty();
    }
}
