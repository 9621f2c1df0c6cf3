package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.testbed.AdmissionReviews;
import dev.portcullis.testbed.AuditLines;
import dev.portcullis.testbed.Images;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.Registry;
import dev.portcullis.testbed.RequiresTools;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /admission/mutate} against the real distribution registry, which delegates its auth to
 * a Portcullis token authority: a Pod's tags are pinned to the digests the registry serves (through
 * the Bearer challenge, with the configured pull account), controllers are left alone, a missing tag
 * is left as it is with a warning and asked about once while its negative answer is cached.
 */
@RequiresTools({"docker-registry", "skopeo", "umoci", "busybox"})
@Tag("e2e")
class MutatingWebhookE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static Application authority;
    private static Application hook;
    private static Registry registry;
    private static String digest;

    @BeforeAll
    static void start() throws Exception {
        Path main = Files.createDirectories(dir.resolve("main"));
        authority = Application.start(ConfigDocument.parse("""
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                token: {issuer: test-issuer, expiration: 900}
                users:
                  alice: {password: "%s"}
                acl:
                  - match: {account: alice}
                    actions: ["*"]
                """.formatted(main, OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4)), "auth.yml", Map.of()),
                Clock.systemUTC());
        Files.createDirectories(dir.resolve("registry"));
        registry = Registry.start(dir.resolve("registry"), "http://127.0.0.1:" + authority.port() + "/auth", "registry.local",
                "test-issuer", dir.resolve("main").resolve("token.crt"), null);
        Files.createDirectories(dir.resolve("img"));
        String image = Images.busyboxLayout(dir.resolve("img"));
        Processes.Result push = Processes.run(dir, "skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:secret", image,
                "docker://" + registry.host() + "/team/app:1.0");
        assertThat(push.exitCode()).as(push.output()).isZero();
        Processes.Result inspect = Processes.run(dir, "skopeo", "inspect", "--tls-verify=false", "--creds", "alice:secret",
                "--format", "{{.Digest}}", "docker://" + registry.host() + "/team/app:1.0");
        List<String> lines = inspect.output().strip().lines().toList();
        digest = lines.get(lines.size() - 1).strip();
        assertThat(digest).startsWith("sha256:");
        Path data = Files.createDirectories(dir.resolve("hook"));
        hook = Application.start(ConfigDocument.parse("""
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                admission:
                  enabled: true
                  mutate:
                    enabled: true
                    insecure_registries: ["%s"]
                    credentials:
                      "%s": {username: alice, password: secret}
                    negative_ttl: 1m
                """.formatted(data, registry.host(), registry.host()), "hook.yml", Map.of()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (hook != null) {
            hook.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (authority != null) {
            authority.close();
        }
    }

    private static JsonNode mutate(AdmissionReviews.Kind k, String app) throws Exception {
        ObjectNode object = AdmissionReviews.object(k, app, "docker.io/library/busybox@sha256:" + "0b".repeat(32),
                "docker.io/library/busybox@sha256:" + "0c".repeat(32));
        String uid = UUID.randomUUID().toString();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hook.port() + "/admission/mutate"))
                .POST(HttpRequest.BodyPublishers.ofString(AdmissionReviews.review("admission.k8s.io/v1", k, uid, object, false)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode response = JSON.readTree(r.body()).get("response");
        assertThat(response.get("uid").asText()).isEqualTo(uid);
        assertThat(response.get("allowed").asBoolean()).isTrue();
        return response;
    }

    @Test
    void mutate_podWithATag_patchedToTheDigestTheRegistryServesAndAudited() throws Exception {
        String tagged = registry.host() + "/team/app:1.0";
        JsonNode r = mutate(AdmissionReviews.KINDS.get(0), tagged);
        assertThat(r.get("patchType").asText()).isEqualTo("JSONPatch");
        JsonNode patch = JSON.readTree(Base64.getDecoder().decode(r.get("patch").asText()));
        assertThat(patch).hasSize(1);
        assertThat(patch.get(0).get("op").asText()).isEqualTo("replace");
        assertThat(patch.get(0).get("path").asText()).isEqualTo("/spec/containers/0/image");
        assertThat(patch.get(0).get("value").asText()).isEqualTo(tagged + "@" + digest);
        List<AuditEvent> records = AuditLines.read(dir.resolve("hook")).stream().filter(e -> e.action().equals("mutate")).toList();
        assertThat(records).anySatisfy(e -> assertThat(e.detail()).contains(tagged + "@" + digest));
    }

    @Test
    void mutate_deploymentWithATag_neverPatched() throws Exception {
        JsonNode r = mutate(AdmissionReviews.KINDS.get(2), registry.host() + "/team/app:1.0");
        assertThat(r.has("patch")).isFalse();
        assertThat(r.has("warnings")).isFalse();
    }

    @Test
    void mutate_missingTag_leftAsATagWithAWarningAndAskedOnce() throws Exception {
        String missing = registry.host() + "/team/app:no-such-tag";
        double before = tokensIssued();
        JsonNode first = mutate(AdmissionReviews.KINDS.get(0), missing);
        JsonNode second = mutate(AdmissionReviews.KINDS.get(0), missing);
        for (JsonNode r : List.of(first, second)) {
            assertThat(r.has("patch")).isFalse();
            assertThat(r.at("/warnings/0").asText()).startsWith("image " + missing + " (containers[0]) left as a tag: ")
                    .contains("no such tag");
        }
        // Each look-up at the registry is one pull token from its authority: the second answer came from the cache.
        assertThat(tokensIssued() - before).as("look-ups of the missing tag at the registry").isEqualTo(1.0);
    }

    private static double tokensIssued() throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + authority.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("portcullis_token_requests_total{outcome=\"issued\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
