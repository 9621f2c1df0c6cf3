package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.attest.SignaturePayload;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The admin API against bodies an attacker or a careless client sends: ambiguous JSON, oversize fields and bodies, repeats. */
class AdminApiAbuseHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static Application app;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        app = startApp();
        token = Files.readString(app.adminTokenFile().orElseThrow()).strip();
    }

    private static Application startApp() {
        return Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n", "a.yml",
                Map.of()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }

    private static JsonNode refused(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        return JSON.readTree(r.body());
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String attestorWithKey(String attestor, KeyPair kp) throws Exception {
        ok(call("POST", "/api/v1/attestors", "{\"name\": \"" + attestor + "\"}"));
        return addKey(attestor, kp);
    }

    private static String addKey(String attestor, KeyPair kp) throws Exception {
        return ok(call("POST", "/api/v1/attestor-keys", JSON.writeValueAsString(Map.of("attestor", attestor,
                "pkixPublicKey", Pem.write(kp.getPublic()), "signatureAlgorithm", "ECDSA_P256_SHA256")))).get("id").asText();
    }

    private static String occurrence(String attestor, String keyId, KeyPair kp, String repository, Digest digest, byte[] payload)
            throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(payload);
        return JSON.writeValueAsString(Map.of("resourceUri", repository + "@" + digest, "noteName", attestor,
                "attestation", Map.of("serializedPayload", Base64.getEncoder().encodeToString(payload),
                        "signatures", List.of(Map.of("publicKeyId", keyId, "signature", Base64.getEncoder().encodeToString(s.sign()))))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/attestors          | {\"name\": \"dup-a\", \"name\": \"dup-b\"}                  | duplicate key 'name'",
            "/api/v1/attestors          | {\"name\": \"trail-a\"} {\"name\": \"trail-b\"}             | content after the JSON value",
            "/api/v1/attestors          | {\"name\": \"trail-c\"}]                                    | content after the JSON value",
            "/api/v1/evaluate           | {\"images\": [\"a@sha256:00\"], \"namespace\": \"a\", \"namespace\": \"b\"} | duplicate key 'namespace'",
            "/api/v1/attestations/batch | {\"occurrences\": []} {\"occurrences\": []}                  | content after the JSON value",
            "/api/v1/attestor-keys/revoke | {\"attestor\": \"x\", \"id\": \"k\", \"id\": \"other\"}    | duplicate key 'id'",
    })
    void post_ambiguousJson_is400NamingTheProblem(String path, String body, String problem) throws Exception {
        JsonNode error = refused(call("POST", path.trim(), body.trim()));
        assertThat(error.get("error").asText()).contains(problem.trim());
        assertThat(call("GET", "/api/v1/policy", null).statusCode()).isEqualTo(200);
    }

    @Test
    void postAttestation_sameTwiceAndInABatch_answersTheStoredOneAndStoresNothingNew() throws Exception {
        String attestor = "projects/p/attestors/repeats";
        KeyPair kp = p256();
        String keyId = attestorWithKey(attestor, kp);
        Digest digest = Digest.sha256("repeats".getBytes(StandardCharsets.UTF_8));
        Digest other = Digest.sha256("repeats-other".getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        String occurrence = occurrence(attestor, keyId, kp, "gcr.io/p/app", digest, payload);

        HttpResponse<String> first = call("POST", "/api/v1/attestations", occurrence);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(JSON.readTree(first.body()).path("existing").asBoolean()).isFalse();
        // The same payload and key, signed anew (ECDSA signatures differ each time): the stored one answers.
        HttpResponse<String> again = call("POST", "/api/v1/attestations", occurrence(attestor, keyId, kp, "gcr.io/p/app", digest, payload));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("existing").asBoolean()).isTrue();
        assertThat(JSON.readTree(again.body()).get("createTime")).isEqualTo(JSON.readTree(first.body()).get("createTime"));

        String otherOccurrence = occurrence(attestor, keyId, kp, "gcr.io/p/app", other, SignaturePayload.forArtifact("gcr.io/p/app", other));
        HttpResponse<String> batch = call("POST", "/api/v1/attestations/batch",
                "{\"occurrences\": [" + otherOccurrence + ", " + otherOccurrence + ", " + occurrence + "]}");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(201);
        assertThat(JSON.readTree(batch.body()).get("occurrences")).extracting(n -> n.get("existing").asBoolean())
                .containsExactly(false, true, true);
        assertThat(call("POST", "/api/v1/attestations/batch", "{\"occurrences\": [" + otherOccurrence + "]}").statusCode())
                .isEqualTo(200);
        assertThat(storedRows(attestor)).isEqualTo(2);
    }

    // The server's own H2 file, through a second connection in this JVM (H2 shares the open database).
    private static int storedRows(String attestor) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(dev.portcullis.store.StoreSettings.embedded(dir).url(),
                "sa", ""); java.sql.PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM attestations WHERE attestor = ?")) {
            ps.setString(1, attestor);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void revokeKey_sameKeyUnderTwoAttestors_revokesItForTheOneNamedOnly() throws Exception {
        String a1 = "projects/p/attestors/revocation-a1";
        String a2 = "projects/p/attestors/revocation-a2";
        KeyPair kp = p256();
        Digest digest = Digest.sha256("revocation".getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        for (String attestor : List.of(a1, a2)) {
            ok(call("POST", "/api/v1/attestors", "{\"name\": \"" + attestor + "\"}"));
            String keyId = addKey(attestor, kp);
            ok(call("POST", "/api/v1/attestations", occurrence(attestor, keyId, kp, "gcr.io/p/app", digest, payload)));
        }
        String keyId = keyIdOf(kp);
        ok(call("POST", "/api/v1/attestor-keys/revoke", JSON.writeValueAsString(Map.of("attestor", a2, "id", keyId))));

        assertThat(evaluate(a1, digest).get("allowed").asBoolean()).as("a1's key is not revoked").isTrue();
        assertThat(evaluate(a2, digest).at("/images/0/reason").asText()).isEqualTo("REVOKED_KEY");
        // The same after a restart, which reads revocations back from the store.
        app.close();
        app = startApp();
        assertThat(evaluate(a1, digest).get("allowed").asBoolean()).as("a1's key after a restart").isTrue();
        assertThat(evaluate(a2, digest).at("/images/0/reason").asText()).isEqualTo("REVOKED_KEY");
    }

    private static String keyIdOf(KeyPair kp) {
        return dev.portcullis.attest.AttestorKey.Pkix.defaultId(kp.getPublic());
    }

    private static JsonNode evaluate(String requiredAttestor, Digest digest) throws Exception {
        ok(call("PUT", "/api/v1/policy", """
                defaultAdmissionRule:
                  evaluationMode: REQUIRE_ATTESTATION
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  requireAttestationsBy: [%s]
                """.formatted(requiredAttestor)));
        return ok(call("POST", "/api/v1/evaluate", "{\"images\": [\"gcr.io/p/app@" + digest + "\"]}"));
    }

    @Test
    void postAttestor_noteOver1024Characters_is400NamingFieldAndLimitWithoutSql() throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/attestors", JSON.writeValueAsString(Map.of("name", "projects/p/attestors/long-note",
                "note", "n".repeat(1025))));
        assertFieldRefused(r, "note", "1024");
        ok(call("POST", "/api/v1/attestors", JSON.writeValueAsString(Map.of("name", "projects/p/attestors/long-note",
                "note", "é".repeat(1024)))));
    }

    @Test
    void postAttestorKey_idOver512CharactersOrWithNul_is400NamingFieldAndLimitWithoutSql() throws Exception {
        String attestor = "projects/p/attestors/long-key-id";
        ok(call("POST", "/api/v1/attestors", "{\"name\": \"" + attestor + "\"}"));
        String pem = Pem.write(p256().getPublic());
        for (String id : List.of("k".repeat(513), "key\u0000id")) {
            HttpResponse<String> r = call("POST", "/api/v1/attestor-keys", JSON.writeValueAsString(Map.of("attestor", attestor,
                    "pkixPublicKey", pem, "signatureAlgorithm", "ECDSA_P256_SHA256", "id", id)));
            assertFieldRefused(r, "id", id.length() > 512 ? "512" : "NUL");
        }
        assertThat(ok(call("POST", "/api/v1/attestor-keys", JSON.writeValueAsString(Map.of("attestor", attestor,
                "pkixPublicKey", pem, "signatureAlgorithm", "ECDSA_P256_SHA256", "id", "k".repeat(512))))).get("id").asText())
                .hasSize(512);
    }

    @Test
    void postAttestation_repositoryOver1024Characters_is400NamingFieldAndLimitWithoutSql() throws Exception {
        String attestor = "projects/p/attestors/long-repository";
        KeyPair kp = p256();
        String keyId = attestorWithKey(attestor, kp);
        Digest digest = Digest.sha256("long-repository".getBytes(StandardCharsets.UTF_8));
        String repository = "gcr.io/p/" + "r".repeat(1100);
        HttpResponse<String> r = call("POST", "/api/v1/attestations", occurrence(attestor, keyId, kp, repository, digest,
                SignaturePayload.forArtifact(repository, digest)));
        assertFieldRefused(r, "resourceUri", "1024");
    }

    private static void assertFieldRefused(HttpResponse<String> r, String field, String limit) throws Exception {
        JsonNode error = refused(r);
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("error").asText()).contains("'" + field + "'").contains(limit);
        assertThat(r.body().toUpperCase(java.util.Locale.ROOT)).doesNotContain("SQL", "INSERT", "VARCHAR", "CHARACTER VARYING");
    }

    @Test
    void putPolicy_duplicateKeyInYamlOrJson_is400AndThePolicyStays() throws Exception {
        String before = call("GET", "/api/v1/policy", null).body();
        for (String policy : List.of("defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW}\ndefaultAdmissionRule: {evaluationMode: ALWAYS_DENY}\n",
                "{\"defaultAdmissionRule\": {\"evaluationMode\": \"ALWAYS_ALLOW\", \"evaluationMode\": \"ALWAYS_DENY\"}}")) {
            assertThat(refused(call("PUT", "/api/v1/policy", policy)).get("error").asText()).contains("duplicate");
        }
        assertThat(call("GET", "/api/v1/policy", null).body()).isEqualTo(before);
    }

    @Test
    void post_attestationWhosePayloadHasADuplicateKey_isRefusedAsMalformedPayload() throws Exception {
        String attestor = "projects/p/attestors/dup-payload";
        KeyPair kp = p256();
        String keyId = attestorWithKey(attestor, kp);
        Digest vouched = Digest.sha256("vouched".getBytes(StandardCharsets.UTF_8));
        Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        // Signed, and valid JSON to a lenient reader, which takes one of the two digests and ignores the other.
        byte[] payload = ("{\"critical\": {\"identity\": {\"docker-reference\": \"gcr.io/p/app\"}, \"image\": "
                + "{\"docker-manifest-digest\": \"" + other + "\", \"docker-manifest-digest\": \"" + vouched + "\"}, "
                + "\"type\": \"" + SignaturePayload.BINAUTHZ_TYPE + "\"}}").getBytes(StandardCharsets.UTF_8);
        JsonNode error = refused(call("POST", "/api/v1/attestations", occurrence(attestor, keyId, kp, "gcr.io/p/app", vouched, payload)));
        assertThat(error.get("reason").asText()).isEqualTo("MALFORMED_PAYLOAD");
        assertThat(error.get("error").asText()).contains("duplicate key 'docker-manifest-digest'");
    }

    // Bytes as they are, for bodies near the listener's limit.
    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    // {"occurrences": [ ... ]} padded with spaces to the size asked for: valid JSON if it were read.
    private static byte[] batchOf(int bytes) {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) ' ');
        byte[] head = "{\"occurrences\": [".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, b, 0, head.length);
        b[bytes - 2] = ']';
        b[bytes - 1] = '}';
        return b;
    }

    @Test
    void batch_nineMebibytes_413WithJsonNamingTheListenersLimit() throws Exception {
        HttpResponse<String> r = post("/api/v1/attestations/batch", batchOf(9 * 1024 * 1024));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.toString()).contains("8 MiB").contains("8388608");
    }

    @Test
    void batch_sevenMebibytesOfEmptyBatch_isReadWholeAndParsed() throws Exception {
        HttpResponse<String> r = post("/api/v1/attestations/batch", batchOf(7 * 1024 * 1024));
        // Read to its end and parsed: refused for holding no attestation, not for its size.
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("1 to 1000");
    }

    @Test
    void attestor_twoMebibyteBody_isReadUnderTheListenersLimit() throws Exception {
        byte[] b = new byte[2 * 1024 * 1024];
        Arrays.fill(b, (byte) ' ');
        byte[] json = "{\"name\": \"big-body\"}".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(json, 0, b, 0, json.length);
        HttpResponse<String> r = post("/api/v1/attestors", b);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
