package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.attest.SignaturePayload;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
import dev.portcullis.policy.PolicyStore;
import dev.portcullis.testbed.AuditLines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every admin change is in the audit log, naming the admin token that made it; named admin tokens over HTTP. */
class AdminAuditHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ATTESTOR = "projects/p/attestors/ci";

    @TempDir
    Path dir;

    private Application app;
    private String admin;

    @BeforeEach
    void start() throws Exception {
        app = Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n", "a.yml",
                Map.of()), Clock.systemUTC());
        admin = Files.readString(app.adminTokenFile().orElseThrow()).strip();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String bearer) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }

    private List<AuditEvent> audited(String action) {
        return AuditLines.read(dir).stream().filter(e -> e.action().equals(action)).toList();
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void changes_attestorKeyAttestationPolicyRevocation_eachIsAuditedWithTheAdminTokensName() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        ok(call("POST", "/api/v1/attestors", "{\"name\": \"" + ATTESTOR + "\"}", admin));
        String keyId = ok(call("POST", "/api/v1/attestor-keys", JSON.writeValueAsString(Map.of("attestor", ATTESTOR,
                "pkixPublicKey", Pem.write(kp.getPublic()), "signatureAlgorithm", "ECDSA_P256_SHA256")), admin)).get("id").asText();
        Digest digest = Digest.sha256("app".getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(payload);
        String occurrence = JSON.writeValueAsString(Map.of("resourceUri", "gcr.io/p/app@" + digest, "noteName", ATTESTOR,
                "attestation", Map.of("serializedPayload", Base64.getEncoder().encodeToString(payload),
                        "signatures", List.of(Map.of("publicKeyId", keyId, "signature", Base64.getEncoder().encodeToString(s.sign()))))));
        ok(call("POST", "/api/v1/attestations", occurrence, admin));
        ok(call("POST", "/api/v1/attestations", occurrence, admin));   // a repeat: nothing stored, nothing recorded
        assertThat(call("POST", "/api/v1/attestations", occurrence.replace(digest.hex(), "bb".repeat(32)), admin).statusCode())
                .isEqualTo(400);
        String policy = "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n";
        ok(call("PUT", "/api/v1/policy", policy, admin));
        ok(call("POST", "/api/v1/attestor-keys/revoke", JSON.writeValueAsString(Map.of("attestor", ATTESTOR, "id", keyId)), admin));

        assertThat(AuditLines.read(dir)).filteredOn(e -> !e.capability().equals("registryauth"))
                .allSatisfy(e -> assertThat(e.subject()).isEqualTo("admin"))
                .allSatisfy(e -> assertThat(e.clientIp()).isEqualTo("127.0.0.1"));
        assertThat(audited("attestor")).singleElement().satisfies(e -> {
            assertThat(e.object()).isEqualTo("create:" + ATTESTOR);
            assertThat(e.decision()).isEqualTo("allow");
            assertThat(e.rule()).isEqualTo("admin token admin");
        });
        assertThat(audited("attestor_key")).extracting(AuditEvent::object, AuditEvent::decision, AuditEvent::detail)
                .containsExactly(tuple("add:" + keyId, "allow", "attestor=" + ATTESTOR),
                        tuple("revoke:" + keyId, "allow", "attestor=" + ATTESTOR));
        List<AuditEvent> attestations = audited("attestation");
        assertThat(attestations).hasSize(2);
        assertThat(attestations.get(0)).satisfies(e -> {
            assertThat(e.object()).isEqualTo("gcr.io/p/app@" + digest);
            assertThat(e.decision()).isEqualTo("allow");
            assertThat(e.rule()).isEqualTo("verified: signed by " + keyId);
        });
        assertThat(attestations.get(1)).satisfies(e -> {
            assertThat(e.object()).isEqualTo("gcr.io/p/app@sha256:" + "bb".repeat(32));
            assertThat(e.decision()).isEqualTo("deny");
            assertThat(e.rule()).startsWith("DIGEST_MISMATCH: ");
        });
        assertThat(audited("policy")).singleElement().satisfies(e -> {
            assertThat(e.object()).isEqualTo("replace");
            assertThat(e.decision()).isEqualTo("allow");
            assertThat(e.detail()).isEqualTo("old_sha256=" + sha256(PolicyStore.DEFAULT_YAML) + " new_sha256=" + sha256(policy));
        });
    }

    @Test
    void putPolicy_invalid_isRefusedAndNotRecorded() throws Exception {
        assertThat(call("PUT", "/api/v1/policy", "defaultAdmissionRule: {evaluationMode: MAYBE}", admin).statusCode()).isEqualTo(400);
        assertThat(audited("policy")).isEmpty();
    }

    @Test
    void adminTokens_namedToken_isTheAuditSubjectUntilRevoked() throws Exception {
        JsonNode made = ok(call("POST", "/api/v1/admin-tokens", "{\"name\": \"ci\"}", admin));
        String ci = made.get("token").asText();
        assertThat(made.get("name").asText()).isEqualTo("ci");
        assertThat(ci).hasSize(48);

        ok(call("POST", "/api/v1/attestors", "{\"name\": \"" + ATTESTOR + "\"}", ci));
        assertThat(audited("attestor")).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("ci");
            assertThat(e.rule()).isEqualTo("admin token ci");
        });
        JsonNode list = ok(call("GET", "/api/v1/admin-tokens", null, ci));
        assertThat(list.at("/tokens/0/name").asText()).isEqualTo("ci");
        assertThat(list.at("/tokens/0/createdBy").asText()).isEqualTo("admin");
        assertThat(list.at("/tokens/0/revokeTime").isNull()).isTrue();
        assertThat(list.toString()).doesNotContain(ci);

        ok(call("POST", "/api/v1/admin-tokens/revoke", "{\"name\": \"ci\"}", admin));
        HttpResponse<String> refused = call("GET", "/api/v1/policy", null, ci);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"portcullis-api\"");

        assertThat(audited("admin_token")).extracting(AuditEvent::object, AuditEvent::subject, AuditEvent::decision)
                .containsExactly(tuple("create:ci", "admin", "allow"),
                        tuple("revoke:ci", "admin", "allow"));
        try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f)).doesNotContain(ci).doesNotContain(admin);
            }
        }
    }

    @Test
    void adminTokens_badTakenOrUnknownNames_are400And409And404AndNotRecorded() throws Exception {
        ok(call("POST", "/api/v1/admin-tokens", "{\"name\": \"ci\"}", admin));
        assertThat(call("POST", "/api/v1/admin-tokens", "{\"name\": \"Not OK\"}", admin).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/admin-tokens", "{\"name\": \"admin\"}", admin).statusCode()).isEqualTo(409);
        assertThat(call("POST", "/api/v1/admin-tokens", "{\"name\": \"ci\"}", admin).statusCode()).isEqualTo(409);
        HttpResponse<String> unknown = call("POST", "/api/v1/admin-tokens/revoke", "{\"name\": \"nobody\"}", admin);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("no admin token in force is named 'nobody'");
        assertThat(audited("admin_token")).extracting(AuditEvent::object, AuditEvent::decision)
                .containsExactly(tuple("create:ci", "allow"));
    }

    @Test
    void adminTokens_afterARestart_stillAdmitAndStayRevoked() throws Exception {
        String kept = ok(call("POST", "/api/v1/admin-tokens", "{\"name\": \"kept\"}", admin)).get("token").asText();
        String gone = ok(call("POST", "/api/v1/admin-tokens", "{\"name\": \"gone\"}", admin)).get("token").asText();
        ok(call("POST", "/api/v1/admin-tokens/revoke", "{\"name\": \"gone\"}", admin));
        app.close();
        app = Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n", "a.yml",
                Map.of()), Clock.systemUTC());
        assertThat(call("GET", "/api/v1/policy", null, kept).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/policy", null, gone).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/v1/policy", null, admin).statusCode()).isEqualTo(200);
    }
}
