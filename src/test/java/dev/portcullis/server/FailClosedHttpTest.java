package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.policy.PolicyStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail closed over HTTP: when the audit log cannot be written (its table is taken away under the
 * running server) or an external authenticator fails, the answer is 503 and nothing takes effect.
 */
class FailClosedHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @TempDir
    Path bin;   // outside data_dir, which the start makes 0600 throughout

    private final String url = "jdbc:h2:mem:fail-closed-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    private Application app;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        Path extAuth = bin.resolve("ext-auth.sh");
        Files.writeString(extAuth, "#!/bin/sh\nexit 3\n");   // neither yes, no nor unknown: the program failed
        Files.setPosixFilePermissions(extAuth, PosixFilePermissions.fromString("rwx------"));
        String hash = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
        app = Application.start(ConfigDocument.parse("""
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                store: {url: "%s"}
                users:
                  alice: {password: "%s"}
                ext_auth: {command: "%s"}
                acl:
                  - match: {account: alice}
                    actions: ["*"]
                """.formatted(dir, url, hash, extAuth), "a.yml", Map.of()), Clock.systemUTC());
        admin = Files.readString(app.adminTokenFile().orElseThrow()).strip();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private void auditTable(boolean present) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute(present ? "ALTER TABLE audit_events_away RENAME TO audit_events"
                    : "ALTER TABLE audit_events RENAME TO audit_events_away");
        }
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + admin)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> login(String credentials) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                        + "/auth?service=registry.local&scope=repository:team/app:pull"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertUnavailable(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).get("error").asText())
                .isEqualTo("cannot decide now: the store or the audit log is unavailable (the cause is in the server's log)");
    }

    @Test
    void adminChanges_auditLogUnwritable_are503AndNotMade() throws Exception {
        auditTable(false);
        assertUnavailable(call("PUT", "/api/v1/policy", "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, "
                + "enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}"));
        assertUnavailable(call("POST", "/api/v1/attestors", "{\"name\": \"projects/p/attestors/ci\"}"));
        assertUnavailable(call("POST", "/api/v1/admin-tokens", "{\"name\": \"ci\"}"));
        assertUnavailable(call("POST", "/api/v1/accounts/alice/revoke-refresh-tokens", null));
        auditTable(true);

        assertThat(call("GET", "/api/v1/policy", null).body()).isEqualTo(PolicyStore.DEFAULT_YAML);
        assertThat(JSON.readTree(call("GET", "/api/v1/admin-tokens", null).body()).get("tokens")).isEmpty();
        // The attestor was not created: it can be created now, once.
        assertThat(call("POST", "/api/v1/attestors", "{\"name\": \"projects/p/attestors/ci\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void token_auditLogUnwritable_is503WithoutAToken() throws Exception {
        assertThat(login("alice:secret").statusCode()).isEqualTo(200);
        auditTable(false);
        HttpResponse<String> r = login("alice:secret");
        auditTable(true);
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.has("token")).isFalse();
        assertThat(body.at("/errors/0/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(body.at("/errors/0/message").asText())
                .isEqualTo("cannot decide now: the store or the audit log is unavailable (the cause is in the server's log)");
    }

    @Test
    void token_externalAuthenticatorFails_is503WithoutAToken() throws Exception {
        HttpResponse<String> r = login("bob:whatever");   // not in users: ext_auth is asked, and fails
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.has("token")).isFalse();
        assertThat(body.at("/errors/0/code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(body.at("/errors/0/message").asText())
                .isEqualTo("cannot decide now: an external authenticator or authorizer failed (the cause is in the server's log)");
        assertThat(r.body()).doesNotContain(bin.toString());
        assertThat(login("alice:secret").statusCode()).isEqualTo(200);
    }
}
