package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.config.ConfigDocument;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics operators graph for the external hooks, against a real HTTP authorizer endpoint: calls
 * by outcome, the circuit opening after the failures in a row it allows, and logins throttled.
 */
class ExternalCallMetricsHttpTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger STATUS = new AtomicInteger(200);

    @TempDir
    static Path dir;
    private static HttpServer authz;
    private static Application app;

    @BeforeAll
    static void start() throws Exception {
        authz = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        authz.createContext("/authz", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(STATUS.get(), -1);
            ex.close();
        });
        authz.start();
        String hash = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
        app = Application.start(ConfigDocument.parse("""
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                users:
                  alice: {password: "%s"}
                http_authz: {url: "http://127.0.0.1:%d/authz", failure_threshold: 2, cool_down: 1h}
                login: {max_failures: 2}
                """.formatted(dir, hash, authz.getAddress().getPort()), "a.yml", Map.of()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.close();
        authz.stop(0);
    }

    private static int token(String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                        + "/auth?service=registry.local&scope=repository:team/app:pull")).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void externalCalls_answeredThenFailing_countedByOutcomeAndTheCircuitOpens() throws Exception {
        assertThat(metrics()).contains("portcullis_external_calls_total{hook=\"ldap_auth\",outcome=\"error\"} 0.0",
                "portcullis_external_circuit_open{hook=\"http_authz\"} 0.0");
        STATUS.set(200);
        assertThat(token("alice", "secret")).isEqualTo(200);
        STATUS.set(403);
        assertThat(token("alice", "secret")).isEqualTo(200); // a token with no actions: refused by the authorizer
        STATUS.set(500);
        assertThat(token("alice", "secret")).isEqualTo(503);
        assertThat(token("alice", "secret")).isEqualTo(503);
        assertThat(token("alice", "secret")).isEqualTo(503); // the circuit is open: not asked

        assertThat(metrics()).contains("portcullis_external_calls_total{hook=\"http_authz\",outcome=\"ok\"} 1.0",
                "portcullis_external_calls_total{hook=\"http_authz\",outcome=\"refused\"} 1.0",
                "portcullis_external_calls_total{hook=\"http_authz\",outcome=\"error\"} 3.0",
                "portcullis_external_circuit_open{hook=\"http_authz\"} 1.0");
    }

    @Test
    void loginsThrottled_afterTheFailuresAllowed_counted() throws Exception {
        for (int i = 0; i < 3; i++) {
            token("mallory", "guess" + i);
        }
        assertThat(token("mallory", "guess")).isEqualTo(429);
        assertThat(metrics()).containsPattern("portcullis_logins_throttled_total [1-9]");
    }
}
