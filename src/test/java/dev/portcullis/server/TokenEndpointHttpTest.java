package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The token endpoint over real HTTP: good requests, and bad ones answered 4xx with a JSON body, never 500. */
class TokenEndpointHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static Application app;

    @BeforeAll
    static void start() {
        String hash = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
        String yaml = """
                server: {addr: "127.0.0.1:0", path_prefix: /docker_auth}
                data_dir: "%s"
                users:
                  alice: {password: "%s"}
                login: {max_failures: 3}
                """.formatted(dir, hash);
        app = Application.start(ConfigDocument.parse(yaml, "auth.yml", Map.of()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String base() {
        return "http://127.0.0.1:" + app.port() + "/docker_auth";
    }

    private static HttpResponse<String> get(String pathAndQuery, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + pathAndQuery));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String s) {
        return "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void get_validLogin_answersTokenFields() throws Exception {
        HttpResponse<String> r = get("/auth?service=registry.local&offline_token=true&client_id=docker", basic("alice:secret"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("token").asText()).isEqualTo(body.get("access_token").asText()).contains(".");
        assertThat(body.get("expires_in").asInt()).isEqualTo(300);
        assertThat(body.get("issued_at").asText()).endsWith("Z");
        assertThat(body.get("refresh_token").asText()).isNotEmpty();
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void post_oauthPasswordGrant_answersAccessToken() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&username=alice&password=secret&service=registry.local&client_id=containerd"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("access_token").asText()).isNotEmpty();
        assertThat(JSON.readTree(r.body()).get("token_type").asText()).isEqualTo("Bearer");
    }

    @Test
    void post_unknownGrantType_is400WithOauthError() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void get_wrongPassword_is401WithChallengeAndRegistryErrorBody() throws Exception {
        HttpResponse<String> r = get("/auth?service=s", basic("nobody:x"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(JSON.readTree(r.body()).at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void get_knownAccountWrongPassword_is401AndAuditedAsRefusedByUsers() throws Exception {
        HttpResponse<String> r = get("/auth?service=registry.local", basic("alice:not-the-secret"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(body.has("token")).isFalse();
        // The same answer as an unknown account; only the audit log tells the two apart.
        assertThat(r.body()).isEqualTo(get("/auth?service=registry.local", basic("nobody:x")).body());
        assertThat(dev.portcullis.testbed.AuditLines.read(dir)).anySatisfy(e -> {
            assertThat(e.subject()).isEqualTo("alice");
            assertThat(e.decision()).isEqualTo("deny");
            assertThat(e.rule()).isEqualTo("credentials refused by users");
        });
    }

    @Test
    void get_repeatedFailures_is429WithRetryAfter() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/auth?service=s", basic("mallory:wrong")).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> r = get("/auth?service=s", basic("mallory:wrong"));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/auth?service=%e9", "/auth?scope=repository:..:pull", "/auth?scope=repository%3Aa%0Ab%3Apull",
            "/auth?service=a&service=b", "/auth?scope=nonsense"})
    void get_badQuery_is400WithJsonBody(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery, basic("alice:secret"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).at("/errors/0/message").asText()).isNotEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"Basic %%%", "Bearer x", "Basic YWxpY2U="})
    void get_malformedAuthorization_is400(String header) throws Exception {
        assertThat(get("/auth?service=s", header).statusCode()).isEqualTo(400);
    }

    @Test
    void get_requestLineOver4096Bytes_is414FromTheListener() throws Exception {
        String target = "/docker_auth/auth?service=";
        String raw = "GET " + target + "a".repeat(4097 - "GET  HTTP/1.1".length() - target.length())
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        String answer = rawRequest(raw);
        assertThat(answer).startsWith("HTTP/1.1 414 Request-URI Too Long\r\n")
                .endsWith("\r\n\r\n{\"errors\":[{\"code\":\"SIZE_INVALID\",\"message\":\"request line longer than 4096 bytes\"}]}");
    }

    @Test
    void post_formOneByteOverTheParsersLimit_is400NamingTheLimit() throws Exception {
        String form = "grant_type=password&username=alice&password=secret&client_id=x&service=";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form + "a".repeat(16 * 1024 + 1 - form.length()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_request");
        assertThat(body.at("/errors/0/code").asText()).isEqualTo("UNSUPPORTED");
        assertThat(body.at("/errors/0/message").asText()).isEqualTo("form longer than 16384 bytes");
    }

    @Test
    void post_formAtTheParsersLimit_isParsed() throws Exception {
        String form = "grant_type=password&username=alice&password=secret&client_id=x&service=";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form + "a".repeat(16 * 1024 - form.length()))).build(),
                HttpResponse.BodyHandlers.ofString());
        // Parsed, and refused for the service name (longer than 256), not for the form's size.
        assertThat(JSON.readTree(r.body()).at("/errors/0/message").asText()).startsWith("invalid service");
    }

    @Test
    void jwks_published_holdsTheSigningKey() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                + "/.well-known/jwks.json")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode key = JSON.readTree(r.body()).at("/keys/0");
        assertThat(key.get("kty").asText()).isEqualTo("EC");
        assertThat(key.has("d")).isFalse();
        assertThat(key.get("kid").asText()).matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}");
    }

    @Test
    void metrics_afterTokenRequests_countOutcomes() throws Exception {
        get("/auth?service=s", basic("alice:secret"));
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("portcullis_token_requests_total{outcome=\"issued\"}");
    }

    @Test
    void healthAndReadiness_answer200() throws Exception {
        for (String p : new String[] {"/healthz", "/readyz", "/metrics"}) {
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + p)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(p).isEqualTo(200);
        }
    }

    private static String rawRequest(String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);   // the answer closes the connection
        }
    }
}
