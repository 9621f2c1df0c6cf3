package dev.portcullis.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.server.Application;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/kubernetes: every document of every file reads into fabric8's typed model with no field it
 * does not know, and the pieces agree with each other and with Portcullis (selectors, probes, the
 * configuration a start reads).
 */
class DeployManifestsTest {
    private static final Path DIR = Launcher.projectRoot().resolve("deploy/kubernetes");

    static Stream<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    private static List<HasMetadata> all() throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        for (Path f : files().toList()) {
            out.addAll(KubernetesModel.readAll(Files.readString(f), f.getFileName().toString()));
        }
        return out;
    }

    private static <T> T one(Class<T> type) throws IOException {
        List<T> found = all().stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    @ParameterizedTest
    @MethodSource("files")
    void manifest_readByTheTypedModel_hasNoUnknownField(Path file) throws IOException {
        assertThat(KubernetesModel.readAll(Files.readString(file), file.getFileName().toString())).isNotEmpty();
    }

    @Test
    void typedModel_aMisspeltField_isRefusedNamingIt() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: 3
                  template:
                    spec:
                      containers:
                        - name: a
                          image: a
                          readinesProbe: {httpGet: {path: /readyz, port: 80}}
                """;
        assertThatThrownBy(() -> KubernetesModel.readAll(yaml, "t.yaml")).hasMessageContaining("readinesProbe");
        assertThatThrownBy(() -> KubernetesModel.readAll(yaml.replace("replicas: 3", "replicas: 3\n  paused: true\n  replicaz: 2")
                .replace("readinesProbe", "readinessProbe"), "t.yaml")).hasMessageContaining("replicaz");
    }

    @Test
    void deployment_threeReplicasSpreadAndLockedDown() throws IOException {
        Deployment d = one(Deployment.class);
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().get(0)
                .getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKey("memory");
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("PORTCULLIS_STORE_URL");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("portcullis-store");
        });
        assertThat(pod.getServiceAccountName()).isEqualTo("portcullis");
    }

    @Test
    void serviceAndBudget_selectTheDeploymentsPods() throws IOException {
        Map<String, String> labels = one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
        Service s = one(Service.class);
        assertThat(labels).containsAllEntriesOf(s.getSpec().getSelector());
        PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
        assertThat(labels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
        assertThat(s.getSpec().getPorts().get(0).getPort()).isEqualTo(443);
    }

    @Test
    void webhook_onItsOwnListener_theServicesPort443ReachesIt() throws IOException {
        String yaml = one(ConfigMap.class).getData().get("portcullis.yaml");
        String addr = yaml.lines().dropWhile(l -> !l.strip().equals("admission:")).filter(l -> l.strip().startsWith("addr:"))
                .findFirst().orElseThrow().strip().replace("addr: ", "");
        int port = Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
        var webhook = one(Service.class).getSpec().getPorts().stream().filter(p -> p.getPort() == 443).findFirst().orElseThrow();
        var declared = one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .filter(p -> p.getName().equals(webhook.getTargetPort().getStrVal())).findFirst().orElseThrow();
        assertThat(declared.getContainerPort()).isEqualTo(port);
        assertThat(one(NetworkPolicy.class).getSpec().getIngress().get(0).getPorts())
                .anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(port));
    }

    @Test
    void clusterRole_readsPodsAndWritesEventsOnly() throws IOException {
        ClusterRole role = one(ClusterRole.class);
        assertThat(role.getRules()).allSatisfy(r -> assertThat(r.getVerbs()).isSubsetOf("get", "list", "watch", "create"));
        assertThat(role.getRules()).allSatisfy(r -> assertThat(r.getResources()).isSubsetOf("pods", "events"));
        assertThat(role.getRules()).filteredOn(r -> r.getVerbs().contains("create"))
                .allSatisfy(r -> assertThat(r.getResources()).containsExactly("events"));
    }

    @Test
    void configMap_portcullisYaml_isReadAsAStartReadsIt(@TempDir Path tmp) throws IOException {
        String yaml = one(ConfigMap.class).getData().get("portcullis.yaml");
        assertThat(yaml).contains("enabled: true");
        // The secrets' files are mounted in the cluster; here, files that exist stand in for them.
        Path file = Files.writeString(tmp.resolve("pem"), "x");
        Map<String, String> env = Map.of("PORTCULLIS_SERVER_CERTIFICATE", file.toString(), "PORTCULLIS_SERVER_KEY", file.toString(),
                "PORTCULLIS_TOKEN_CERTIFICATE", file.toString(), "PORTCULLIS_TOKEN_KEY", file.toString(),
                "PORTCULLIS_ADMISSION_CERTIFICATE", file.toString(), "PORTCULLIS_ADMISSION_KEY", file.toString(),
                "PORTCULLIS_STORE_URL", "jdbc:postgresql://postgres:5432/portcullis");
        assertThatCode(() -> Application.checkSettings(ConfigDocument.parse(yaml, "configmap.yaml", env))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Application.checkSettings(ConfigDocument.parse(yaml.replace("trust_domain", "trust_domian"),
                "configmap.yaml", env))).hasMessageContaining("trust_domian");
    }
}
