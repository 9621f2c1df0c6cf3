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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an unauthenticated flood of failed logins costs, over HTTP: refused per address, a few audit lines, readiness. */
class FailedLoginCostHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String HASH = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);

    @TempDir
    Path dir;

    private Application start(String extra) {
        String yaml = """
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                users:
                  alice: {password: "%s"}
                login: {max_failures: 3, max_failures_per_address: 20}
                """.formatted(dir, HASH) + extra;
        return Application.start(ConfigDocument.parse(yaml, "auth.yml", Map.of()), Clock.systemUTC());
    }

    private static HttpResponse<String> login(Application app, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/auth?service=registry.local"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> readyz(Application app) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String name(int i) {
        return "%0250d".formatted(i);
    }

    private List<JsonNode> auditLines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    @Test
    void get_failedLoginsForManyAccountsFromOneAddress_429WithRetryAfterEvenForAGoodPassword() throws Exception {
        try (Application app = start("")) {
            for (int i = 0; i < 20; i++) {
                assertThat(login(app, name(i), "").statusCode()).isEqualTo(401);
            }
            HttpResponse<String> r = login(app, "alice", "secret");
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
            assertThat(JSON.readTree(r.body()).at("/errors/0/code").asText()).isEqualTo("TOOMANYREQUESTS");
        }
    }

    @Test
    void get_floodOfFailedLoginsWithUniqueNames_auditGrowsByAFewRecordsThatNameTheirRules() throws Exception {
        try (Application app = start("audit: {repeat_window: 10m}\n")) {
            for (int i = 0; i < 300; i++) {
                assertThat(login(app, name(i), "").statusCode()).isIn(401, 429);
            }
            List<JsonNode> during = auditLines();
            assertThat(during).hasSize(2);
            assertThat(during).extracting(n -> n.get("rule").asText()).containsExactly("no authenticator knows this account",
                    "login.max_failures_per_address: 20 failed logins within 60 s from this address");
        }
        List<JsonNode> after = auditLines();   // the counts are written at the latest when the server stops
        assertThat(after).hasSize(4);
        assertThat(after.subList(2, 4)).extracting(n -> n.get("rule").asText() + ": " + n.get("detail").asText().replaceAll(" from .*", ""))
                .containsExactlyInAnyOrder("no authenticator knows this account: repeated 19 times",
                        "login.max_failures_per_address: 20 failed logins within 60 s from this address: repeated 279 times");
        long bytes;
        try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
            bytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(bytes).isLessThan(4_000);   // it was about 500 bytes a failed login
    }

    @Test
    void readyz_auditAppendFails_notReadyWithTheReasonThenReadyAgainWithoutTraffic() throws Exception {
        String url = "jdbc:h2:mem:readyz-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Application app = start("store: {url: \"" + url + "\"}\n");
             Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            assertThat(readyz(app).statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(readyz(app).body()).get("ready").asBoolean()).isTrue();

            st.execute("ALTER TABLE audit_events RENAME TO audit_events_away");
            assertThat(login(app, "mallory", "x").statusCode()).isEqualTo(503);   // fail closed: no record, no answer
            HttpResponse<String> notReady = readyz(app);
            assertThat(notReady.statusCode()).isEqualTo(503);
            JsonNode body = JSON.readTree(notReady.body());
            assertThat(body.get("ready").asBoolean()).isFalse();
            assertThat(body.get("audit").asText()).startsWith("last append failed: ").containsIgnoringCase("audit_events");

            st.execute("ALTER TABLE audit_events_away RENAME TO audit_events");
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (readyz(app).statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            com.fasterxml.jackson.databind.JsonNode again = JSON.readTree(readyz(app).body());
            assertThat(again.get("ready").asBoolean()).isTrue();
            assertThat(again.has("audit")).isFalse();
        }
    }
}
