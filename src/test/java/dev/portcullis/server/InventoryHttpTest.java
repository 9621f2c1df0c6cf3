package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An inventory set in the ACL through the token authority over HTTP: a host added to the file gets a
 * pull token within one refresh, a removed one is refused; the look-up route, /readyz and the metrics.
 */
class InventoryHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN = "inventory-test-admin-token-0123456789";

    @TempDir
    static Path dir;

    private static Application app;
    private static Path hosts;

    @BeforeAll
    static void start() throws Exception {
        hosts = Files.writeString(dir.resolve("hosts.txt"), "# nobody yet\n");
        String hash = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
        String yaml = """
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                api: {admin_token: "%s"}
                users:
                  ci: {password: "%s"}
                inventory:
                  sets:
                    - {name: build-hosts, file: "%s", every: 100ms, max_age: 1h}
                acl:
                  - match: {account: ci, ip: "@inventory:build-hosts"}
                    actions: [pull]
                """.formatted(dir.resolve("data"), ADMIN, hash, hosts);
        app = Application.start(ConfigDocument.parse(yaml, "auth.yml", Map.of()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // The actions the token grants on team/app (docker_auth's answer to a denial: the scope with no actions).
    private static String granted() throws Exception {
        JsonNode access = grantedAccess();
        assertThat(access).hasSize(1);
        assertThat(access.get(0).get("name").asText()).isEqualTo("team/app");
        return access.get(0).get("actions").toString();
    }

    private static JsonNode grantedAccess() throws Exception {
        HttpResponse<String> r = get("/auth?service=registry.local&scope=repository:team/app:pull", "Basic "
                + Base64.getEncoder().encodeToString("ci:secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.statusCode()).isEqualTo(200);
        String payload = JSON.readTree(r.body()).get("token").asText().split("\\.")[1];
        return JSON.readTree(Base64.getUrlDecoder().decode(payload)).get("access");
    }

    private static void write(String content, int secondsAhead) throws Exception {
        Files.writeString(hosts, content);
        Files.setLastModifiedTime(hosts, FileTime.from(Instant.now().plusSeconds(secondsAhead)));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static boolean holds(String ip) {
        try {
            return JSON.readTree(get("/inventory/v1/ip/" + ip, "Bearer " + ADMIN).body()).get("sets").toString()
                    .contains("build-hosts");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void token_hostAddedThenRemoved_pullGrantedThenRefused() throws Exception {
        assertThat(granted()).isEqualTo("[]");

        write("127.0.0.1 # this test's client\n", 5);
        await(() -> holds("127.0.0.1"));
        assertThat(granted()).isEqualTo("[\"pull\"]");

        write("10.9.9.9\n", 10);
        await(() -> !holds("127.0.0.1"));
        assertThat(granted()).isEqualTo("[]");
    }

    @Test
    void lookup_addresses_answersTheSetsAndRefusesBadInput() throws Exception {
        write("10.20.0.0/16\n2001:db8::/32\n", 20);
        await(() -> holds("10.20.3.4"));
        HttpResponse<String> v6 = get("/inventory/v1/ip/2001:db8::7", "Bearer " + ADMIN);
        assertThat(v6.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(v6.body())).isEqualTo(JSON.readTree("{\"ip\":\"2001:db8:0:0:0:0:0:7\",\"sets\":[\"build-hosts\"]}"));
        assertThat(JSON.readTree(get("/inventory/v1/ip/10.21.0.1", "Bearer " + ADMIN).body()).get("sets")).isEmpty();

        HttpResponse<String> bad = get("/inventory/v1/ip/not-an-ip", "Bearer " + ADMIN);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("'not-an-ip' is not an IPv4 or IPv6 address");
        assertThat(get("/inventory/v1/ip/10.20.3.4", null).statusCode()).isEqualTo(401);
    }

    @Test
    void readyzAndMetrics_set_sayHowFreshItIs() throws Exception {
        await(() -> {
            try {
                return get("/metrics", null).body().contains("portcullis_inventory_size{set=\"build-hosts\"");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode ready = JSON.readTree(get("/readyz", null).body());
        assertThat(ready.get("ready").asBoolean()).isTrue();
        assertThat(ready.get("inventory.build-hosts").asText()).startsWith("fresh: ");
        String metrics = get("/metrics", null).body();
        assertThat(metrics).contains("portcullis_inventory_expired{set=\"build-hosts\",source=\"file\"} 0.0",
                "portcullis_inventory_refreshes_total{set=\"build-hosts\",source=\"file\"}",
                "portcullis_inventory_refresh_errors_total{set=\"build-hosts\",source=\"file\"} 0.0",
                "portcullis_inventory_age_seconds{set=\"build-hosts\",source=\"file\"}",
                "portcullis_inventory_refresh_duration_seconds{set=\"build-hosts\",source=\"file\"}");
    }

    // docker_auth's ext_authz contract: the request's JSON on standard input, the answer in the exit code.
    private static int extAuthz(String ip, String set, String url) throws Exception {
        Path token = Files.writeString(dir.resolve("admin.token"), ADMIN + "\n");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("scripts/ext-authz-inventory.sh", "--url", url,
                "--token-file", token.toString()));
        if (set != null) {
            cmd.addAll(java.util.List.of("--set", set));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = p.getOutputStream()) {
            in.write(("{\"Account\":\"ci\",\"Type\":\"repository\",\"Name\":\"team/app\",\"Service\":\"registry.local\","
                    + "\"IP\":\"" + ip + "\",\"Actions\":[\"pull\"],\"Labels\":{}}").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void extAuthzScript_addresses_answerDockerAuthsExitCodes() throws Exception {
        write("10.30.0.0/16\n", 30);
        await(() -> holds("10.30.1.1"));
        String url = "http://127.0.0.1:" + app.port();
        assertThat(extAuthz("10.30.1.1", "build-hosts", url)).isZero();
        assertThat(extAuthz("10.30.1.1", null, url)).isZero();
        assertThat(extAuthz("10.30.1.1", "gke-prod", url)).isEqualTo(1);
        assertThat(extAuthz("10.31.1.1", "build-hosts", url)).isEqualTo(1);
        assertThat(extAuthz("", "build-hosts", url)).isEqualTo(1);
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            assertThat(extAuthz("10.30.1.1", "build-hosts", "http://127.0.0.1:" + port)).isEqualTo(2);
        }
    }
}
