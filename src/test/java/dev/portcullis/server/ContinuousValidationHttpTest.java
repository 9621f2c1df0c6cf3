package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.testbed.AuditLines;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous validation against fabric8's mock Kubernetes API server in CRUD mode (lists and watches
 * as the real one answers them): a running pod becomes a violation when the policy changes under it —
 * an audit record, an Event on the pod, a line of {@code GET /admission/v1/violations}, the metric —
 * and stops being one when the policy allows it again.
 */
class ContinuousValidationHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String IMAGE = "gcr.io/p/shop@sha256:" + "ab".repeat(32);
    private static final String ALLOW = "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n";
    private static final String DENY = "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n";

    @TempDir
    static Path dir;
    private static KubernetesMockServer kubernetes;
    private static NamespacedKubernetesClient kube;
    private static Application app;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        kubernetes.init();
        kube = kubernetes.createClient();
        app = Application.start(ConfigDocument.parse("""
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                admission: {revalidate_every: 2s}
                kubernetes: {enabled: true, api_url: "%s", label_violations: true}
                """.formatted(dir, kubernetes.url("/").replaceAll("/$", "")), "a.yml", Map.of()), Clock.systemUTC());
        token = Files.readString(app.adminTokenFile().orElseThrow()).strip();
        policy(ALLOW);
    }

    @AfterAll
    static void stop() {
        app.close();
        kube.close();
        kubernetes.destroy();
    }

    private static void policy(String yaml) throws Exception {
        assertThat(call("PUT", "/api/v1/policy", yaml, token).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> call(String method, String path, String body, String bearer) throws Exception {
        return dev.portcullis.testbed.HttpCalls.call(app.port(), method, path, body, bearer);
    }

    private static JsonNode violations() throws Exception {
        HttpResponse<String> r = call("GET", "/admission/v1/violations", "", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("violations");
    }

    private static JsonNode awaitViolations(Predicate<JsonNode> until, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        JsonNode v = violations();
        while (!until.test(v) && System.nanoTime() < end) {
            Thread.sleep(200);
            v = violations();
        }
        return v;
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("web")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("shop-7d4b9").withUid("rs-1")
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withServiceAccountName("deployer").addNewContainer().withName("app").withImage(IMAGE).endContainer()
                .endSpec().withNewStatus().withPhase("Running").endStatus().build();
    }

    @Test
    void policyChangeUnderARunningPod_violationAuditedPostedAsEventListedAndResolved() throws Exception {
        String uid = kube.pods().inNamespace("web").resource(pod("shop-7d4b9-x2k")).create().getMetadata().getUid();
        Thread.sleep(3000); // a pass or more under the allowing policy
        assertThat(violations()).isEmpty();

        long changed = System.nanoTime();
        policy(DENY);
        JsonNode found = awaitViolations(v -> v.size() == 1, Duration.ofSeconds(60));
        long tookMs = (System.nanoTime() - changed) / 1_000_000;
        assertThat(found).as("a violation within 60 s of the change").hasSize(1);
        assertThat(tookMs).isLessThan(60_000);
        JsonNode v = found.get(0);
        assertThat(v.get("namespace").asText()).isEqualTo("web");
        assertThat(v.get("pod").asText()).isEqualTo("shop-7d4b9-x2k");
        assertThat(v.get("workload").asText()).isEqualTo("ReplicaSet/shop-7d4b9");
        assertThat(v.get("image").asText()).isEqualTo(IMAGE);
        assertThat(v.get("container").asText()).isEqualTo("containers[0]");
        assertThat(v.get("reason").asText()).contains("denied by Binary Authorization defaultAdmissionRule");
        assertThat(v.get("since").asText()).isNotBlank();

        List<AuditEvent> records = AuditLines.read(dir).stream().filter(e -> e.action().equals("revalidate")).toList();
        assertThat(records).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo("deny");
            assertThat(e.object()).contains("Pod web/shop-7d4b9-x2k (ReplicaSet/shop-7d4b9)", IMAGE);
            assertThat(e.rule()).startsWith("running workload violates the policy");
        });
        List<Event> events = kube.v1().events().inNamespace("web").list().getItems();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("ImagePolicyViolation");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("shop-7d4b9-x2k");
            assertThat(e.getInvolvedObject().getUid()).isEqualTo(uid);
            assertThat(e.getMessage()).contains(IMAGE);
        });
        // Labelled so that operators find it: kubectl get pods -l portcullis.dev/image-policy=violation
        assertThat(kube.pods().inNamespace("web").withLabel("portcullis.dev/image-policy", "violation").list().getItems())
                .extracting(p -> p.getMetadata().getName()).containsExactly("shop-7d4b9-x2k");
        assertThat(call("GET", "/metrics", "", null).body()).contains("portcullis_admission_violations 1.0",
                "portcullis_admission_violations_found_total 1.0");

        Thread.sleep(2500); // passes that find the same violation record nothing more
        assertThat(AuditLines.read(dir).stream().filter(e -> e.action().equals("revalidate")).count()).isEqualTo(1);
        assertThat(kube.v1().events().inNamespace("web").list().getItems()).hasSize(1);

        policy(ALLOW);
        assertThat(awaitViolations(JsonNode::isEmpty, Duration.ofSeconds(30))).isEmpty();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (kube.pods().inNamespace("web").withName("shop-7d4b9-x2k").get().getMetadata().getLabels()
                .containsKey("portcullis.dev/image-policy") && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(kube.pods().inNamespace("web").withName("shop-7d4b9-x2k").get().getMetadata().getLabels())
                .doesNotContainKey("portcullis.dev/image-policy");
        assertThat(AuditLines.read(dir).stream().filter(e -> e.action().equals("revalidate")).map(AuditEvent::rule))
                .anySatisfy(r -> assertThat(r).startsWith("violation resolved"));
    }

    @Test
    void violations_apiServerUnreachable_503SayingThePodsAreNotListedRatherThanAnEmptyList() throws Exception {
        Path other = Files.createDirectories(dir.resolve("unreachable"));
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (Application cut = Application.start(ConfigDocument.parse("""
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                kubernetes: {enabled: true, api_url: "http://127.0.0.1:%d"}
                """.formatted(other, closed), "b.yml", Map.of()), Clock.systemUTC())) {
            String bearer = Files.readString(cut.adminTokenFile().orElseThrow()).strip();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cut.port()
                    + "/admission/v1/violations")).header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(JSON.readTree(r.body()).get("error").asText()).startsWith("the cluster's pods are not listed yet");
            // Decisions go on: the webhook and the token authority do not wait for the cluster.
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cut.port() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void violations_withoutAdminToken_is401() throws Exception {
        assertThat(call("GET", "/admission/v1/violations", "", null).statusCode()).isEqualTo(401);
    }
}
