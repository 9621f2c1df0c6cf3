package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.ServeProcess;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./portcullis serve} with an inventory set fed by an HTTP JSON source: a host the source adds
 * gets a pull token, and once the source stops answering for longer than max_age the set fails closed
 * (the token refused, {@code /readyz} saying why); docker_auth's ext_authz script answers from it.
 */
@RequiresTools({"bash", "curl"})
class InventoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOKEN = "inventory-it-admin-token-0123456789";

    @TempDir
    Path home;

    private volatile String hosts = "[]";

    @Test
    void serve_httpSet_grantsWhatTheSourceListsAndFailsClosedWhenItStopsAnswering() throws Exception {
        HttpServer source = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        source.createContext("/hosts", ex -> {
            byte[] b = ("{\"hosts\": " + hosts + "}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        source.start();
        Launcher.install(home);
        Files.writeString(home.resolve("auth.yml"), """
                users:
                  ci: {password: "%s"}
                inventory:
                  sets:
                    - {name: cmdb, http: {url: "http://127.0.0.1:%d/hosts", pointer: /hosts}, every: 200ms, max_age: 3s, backoff_max: 1s}
                acl:
                  - match: {account: ci, ip: "@inventory:cmdb"}
                    actions: [pull]
                """.formatted(OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4), source.getAddress().getPort()));
        try (ServeProcess serve = ServeProcess.start(home, Launcher.environment(home, Map.of("PORTCULLIS_API_ADMIN_TOKEN", TOKEN)),
                "./portcullis serve --config auth.yml", Processes.freePort())) {
            assertThat(granted(serve)).isEqualTo("[]");
            hosts = "[\"127.0.0.1\"]";
            await(() -> granted(serve).equals("[\"pull\"]"));
            assertThat(granted(serve)).isEqualTo("[\"pull\"]");

            String request = "{\"Account\":\"ci\",\"Type\":\"repository\",\"Name\":\"team/app\",\"IP\":\"127.0.0.1\",\"Actions\":[\"pull\"]}";
            Path token = Files.writeString(home.resolve("portcullis.token"), TOKEN);
            String script = Launcher.projectRoot().resolve("scripts/ext-authz-inventory.sh") + " --url " + serve.url()
                    + " --set cmdb --token-file " + token;
            assertThat(Launcher.shell(home, Launcher.environment(home, Map.of()), script, request).exitCode()).isZero();

            source.stop(0);
            await(() -> granted(serve).equals("[]"));
            assertThat(granted(serve)).isEqualTo("[]");
            JsonNode ready = JSON.readTree(get(serve, "/readyz").body());
            assertThat(ready.get("inventory.cmdb").asText()).startsWith("empty (fail closed): the last good snapshot (1 entries)")
                    .contains("did not answer: connection refused");
            assertThat(Launcher.shell(home, Launcher.environment(home, Map.of()), script, request).exitCode()).isEqualTo(1);
            assertThat(get(serve, "/metrics").body()).contains("portcullis_inventory_expired{set=\"cmdb\",source=\"http\"} 1.0");
        } finally {
            source.stop(0);
        }
    }

    private static HttpResponse<String> get(ServeProcess serve, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(serve.url() + path)).header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString("ci:secret".getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String granted(ServeProcess serve) {
        try {
            String body = get(serve, "/auth?service=registry.local&scope=repository:team/app:pull").body();
            String payload = JSON.readTree(body).get("token").asText().split("\\.")[1];
            return JSON.readTree(Base64.getUrlDecoder().decode(payload)).get("access").get(0).get("actions").toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
