package dev.portcullis.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testbed.AuditLines;
import dev.portcullis.testbed.Images;
import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.Registry;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image lineage end to end, as a user runs it: {@code ./portcullis serve} as the real distribution
 * registry's token authority and notification endpoint; images built with umoci and pushed with skopeo
 * (a multi-platform base, three images built on it, one of them an index, one unrelated); the
 * {@code images} commands through the launcher; a ban denying each descendant as BANNED; an image
 * rebuilt on a new base not affected; a deleted tag leaving the index; a later serve knowing it all.
 */
@RequiresTools({"docker-registry", "skopeo", "umoci", "busybox", "bash"})
@Tag("e2e")
class LineageRegistryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "registry-events-secret-0123";

    @TempDir
    static Path dir;
    private static ServeProcess serve;
    private static Registry registry;

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void lineage_realRegistryAndCommands_affectedBannedRebuiltDeletedAndKnownAfterRestart() throws Exception {
        Launcher.install(dir);
        int servePort = Processes.freePort();
        int registryPort = Processes.freePort();
        String host = "127.0.0.1:" + registryPort;
        Files.writeString(dir.resolve("portcullis.yml"), """
                token: {issuer: test-issuer, expiration: 900}
                users:
                  alice: {password: "%s"}
                acl:
                  - match: {account: alice}
                    actions: ["*"]
                lineage:
                  events_secret: "%s"
                  registries:
                    "%s": {insecure: true, username: alice, password: secret}
                """.formatted(OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4), SECRET, host));
        Files.writeString(dir.resolve("allow.yaml"), "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, "
                + "enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n");
        serve = startServe(servePort);
        Path registryDir = Files.createDirectories(dir.resolve("registry"));
        registry = Registry.start(registryDir, registryPort, serve.url() + "/auth", "registry.local", "test-issuer",
                dir.resolve("data/token.crt"), serve.url() + "/registry/events", Map.of("Authorization", "Bearer " + SECRET));
        Map<String, String> env = Map.of("PORTCULLIS_SERVER", serve.url());

        Path img = Files.createDirectories(dir.resolve("img"));
        Images.busyboxLayout(img);
        Processes.ok(img, "umoci", "tag", "--image", "oci:base", "base-arm");
        Processes.ok(img, "umoci", "config", "--image", "oci:base-arm", "--architecture", "arm64");
        Images.index(img, "base-multi", List.of("base", "base-arm"));
        Images.derive(img, "base", "a", "a.txt");
        Processes.ok(img, "umoci", "config", "--image", "oci:a", "--config.label", "org.opencontainers.image.vendor=team-a",
                "--manifest.annotation", "org.opencontainers.image.source=https://git.example/a");
        Images.derive(img, "base", "b", "b.txt");
        Images.derive(img, "base", "c-amd", "c.txt");
        Images.derive(img, "base-arm", "c-arm", "c.txt");
        Images.index(img, "c-multi", List.of("c-amd", "c-arm"));
        Processes.ok(img, "umoci", "new", "--image", "oci:other");
        Images.derive(img, "other", "tool", "tool.txt");
        push(img, "base-multi", host + "/base/busybox:1.0");
        push(img, "a", host + "/team/a:1");
        push(img, "b", host + "/team/b:1");
        push(img, "c-multi", host + "/team/c:1");
        push(img, "tool", host + "/other/tool:1");

        String base = host + "/base/busybox:1.0";
        JsonNode affected = await(base, a -> a.size() == 4);
        assertThat(repositories(affected)).containsExactlyInAnyOrder(host + "/team/a", host + "/team/b", host + "/team/c",
                host + "/team/c");
        assertThat(affected.findValuesAsText("platform")).containsExactlyInAnyOrder("linux/amd64", "linux/amd64", "linux/amd64",
                "linux/arm64");
        assertThat(affected.findValuesAsText("foundBy")).containsOnly("layers");
        JsonNode a = rowOf(affected, host + "/team/a");
        assertThat(a.get("owner").asText()).isEqualTo("team-a");
        assertThat(a.get("source").asText()).isEqualTo("https://git.example/a");
        assertThat(a.get("tags").get(0).asText()).isEqualTo("1");

        Launcher.Result table = Launcher.run(dir, env, "images", "affected", "--base", base);
        assertThat(table.exitCode()).as(table.describe()).isZero();
        assertThat(table.out()).contains("REPOSITORY", "PLATFORM", host + "/team/c", "linux/arm64", "4 images built on " + base);
        Launcher.Result csv = Launcher.run(dir, env, "images", "affected", "--base", base, "-o", "csv");
        assertThat(csv.out().lines()).hasSize(5).first().isEqualTo("repository,tags,digest,platform,depth,owner,source,revision,found_by");
        Launcher.Result tree = Launcher.run(dir, env, "images", "tree", host + "/team/c:1");
        assertThat(tree.exitCode()).as(tree.describe()).isZero();
        assertThat(tree.out()).contains(host + "/base/busybox:1.0@sha256:", "[linux/arm64]", "└─ " + host + "/team/c:1@", "(by layers)");

        Launcher.Result ban = Launcher.run(dir, env, "images", "ban", "--image", base, "--reason", "openssl in the base is vulnerable",
                "--cve", "CVE-2026-12345");
        assertThat(ban.exitCode()).as(ban.describe()).isZero();
        String banId = JSON.readTree(ban.out()).get("id").asText();
        assertThat(Launcher.run(dir, env, "policy", "import", "allow.yaml").exitCode()).isZero();
        for (String image : List.of(host + "/team/a:1", host + "/team/b:1", host + "/team/c:1",
                host + "/team/c@" + rowOf(affected, host + "/team/c").get("digest").asText())) {
            Launcher.Result denied = Launcher.run(dir, env, "policy", "evaluate", "--image", image);
            assertThat(denied.exitCode()).as(denied.describe()).isEqualTo(1);
            assertThat(denied.out()).contains("\"reason\":\"BANNED\"", "built on " + host + "/base/busybox:1.0@sha256:",
                    "openssl in the base is vulnerable (CVE-2026-12345)");
        }
        assertThat(Launcher.run(dir, env, "policy", "evaluate", "--image", host + "/other/tool:1").exitCode()).isZero();

        // Rebuilt on a new base: not affected, allowed.
        Processes.ok(img, "umoci", "new", "--image", "oci:base2");
        Images.derive(img, "base2", "base2b", "busybox-2.txt");
        Images.derive(img, "base2b", "a2", "a.txt");
        push(img, "base2b", host + "/base/busybox:2.0");
        push(img, "a2", host + "/team/a:2");
        awaitKnown(host + "/team/a:2");
        assertThat(affected(base).toString()).doesNotContain("\"2\"");
        assertThat(Launcher.run(dir, env, "policy", "evaluate", "--image", host + "/team/a:2").exitCode()).isZero();

        // A deleted tag leaves the index.
        Processes.Result delete = Processes.run(dir, "skopeo", "delete", "--tls-verify=false", "--creds", "alice:secret",
                "docker://" + host + "/team/b:1");
        assertThat(delete.exitCode()).as(delete.output()).isZero();
        JsonNode afterDelete = await(base, x -> x.size() == 3);
        assertThat(repositories(afterDelete)).doesNotContain(host + "/team/b");

        // A wrong secret is refused and audited.
        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serve.url() + "/registry/events"))
                .header("Authorization", "Bearer wrong").POST(HttpRequest.BodyPublishers.ofString("{\"events\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);

        // A later serve on the same store knows the images and the ban.
        serve.close();
        serve = startServe(servePort);
        assertThat(repositories(affected(base))).containsExactlyInAnyOrderElementsOf(repositories(afterDelete));
        Launcher.Result still = Launcher.run(dir, env, "policy", "evaluate", "--image", host + "/team/a:1");
        assertThat(still.exitCode()).as(still.describe()).isEqualTo(1);
        assertThat(still.out()).contains("BANNED");
        Launcher.Result unban = Launcher.run(dir, env, "images", "unban", banId);
        assertThat(unban.exitCode()).as(unban.describe()).isZero();
        assertThat(Launcher.run(dir, env, "policy", "evaluate", "--image", host + "/team/a:1").exitCode()).isZero();

        // A cold start: another serve, told nothing by the registry, reads it with images sync (resumable).
        Path other = Files.createDirectories(dir.resolve("cold"));
        Launcher.install(other);
        Files.writeString(other.resolve("portcullis.yml"), """
                lineage:
                  registries:
                    "%s": {insecure: true, username: alice, password: secret}
                """.formatted(host));
        try (ServeProcess cold = ServeProcess.start(other, Launcher.environment(other, Map.of()), "./portcullis serve --config portcullis.yml",
                Processes.freePort())) {
            Map<String, String> coldEnv = Map.of("PORTCULLIS_SERVER", cold.url());
            Files.writeString(other.resolve(".portcullis-sync-" + host.replace(':', '_')), host + "/other/tool\n");
            Launcher.Result resumed = Launcher.run(other, coldEnv, "images", "sync", "--registry", "http://" + host);
            assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
            assertThat(resumed.err()).contains("resuming after " + host + "/other/tool");
            assertThat(resumed.out()).contains("synced 3 repositories of " + host);   // team/a, team/b (no tags now), team/c
            Launcher.Result full = Launcher.run(other, coldEnv, "images", "sync", "--registry", "http://" + host);
            assertThat(full.exitCode()).as(full.describe()).isZero();
            assertThat(full.out()).contains("synced 5 repositories of " + host);
            Launcher.Result coldAffected = Launcher.run(other, coldEnv, "images", "affected", "--base", base, "-o", "json");
            assertThat(repositories(JSON.readTree(coldAffected.out()).get("affected")))
                    .containsExactlyInAnyOrderElementsOf(repositories(afterDelete));
            Launcher.Result unknown = Launcher.run(other, coldEnv, "images", "sync", "--registry", "127.0.0.1:1");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err()).contains("registry 127.0.0.1:1 is not one of lineage.registries");
        }
        assertThat(AuditLines.read(dir.resolve("data"))).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("ban");
            assertThat(e.object()).isEqualTo("create:" + banId);
        }).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("registry_events");
            assertThat(e.decision()).isEqualTo("deny");
        });
    }

    private static ServeProcess startServe(int port) throws Exception {
        return ServeProcess.start(dir, Launcher.environment(dir, Map.of()), "./portcullis serve --config portcullis.yml", port);
    }

    private static void push(Path img, String tag, String to) {
        Processes.Result r = Processes.run(img, "skopeo", "copy", "--all", "--dest-tls-verify=false", "--dest-creds", "alice:secret",
                "oci:" + img.resolve("oci") + ":" + tag, "docker://" + to);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private static JsonNode affected(String base) throws Exception {
        Launcher.Result r = Launcher.run(dir, Map.of("PORTCULLIS_SERVER", serve.url()), "images", "affected", "--base", base, "-o", "json");
        return r.exitCode() == 0 ? JSON.readTree(r.out()).get("affected") : JSON.createArrayNode();
    }

    // Notifications arrive asynchronously: the registry queues them and sends them in order.
    private static JsonNode await(String base, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode a = affected(base);
        while (!done.test(a) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            a = affected(base);
        }
        assertThat(done.test(a)).as(a + "\n" + serve.stderr()).isTrue();
        return a;
    }

    private static void awaitKnown(String image) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Launcher.run(dir, Map.of("PORTCULLIS_SERVER", serve.url()), "images", "tree", image).exitCode() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(image + " never became known:\n" + serve.stderr());
    }

    private static List<String> repositories(JsonNode affected) {
        List<String> out = new ArrayList<>();
        affected.forEach(r -> out.add(r.get("repository").asText()));
        return out;
    }

    private static JsonNode rowOf(JsonNode affected, String repository) {
        for (JsonNode r : affected) {
            if (r.get("repository").asText().equals(repository)) {
                return r;
            }
        }
        throw new AssertionError("no row for " + repository + " in " + affected);
    }
}
