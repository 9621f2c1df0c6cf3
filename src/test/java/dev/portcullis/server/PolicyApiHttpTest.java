package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.attest.SignaturePayload;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
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
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over HTTP: attestor, key, attestation, policy, evaluation, and the credential it needs.
 * Each test has its own server and data directory: none depends on what another did before it.
 */
class PolicyApiHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ATTESTOR = "projects/p/attestors/built-by-ci";

    @TempDir
    Path dir;

    private Application app;
    private String token;

    @BeforeEach
    void start() throws Exception {
        app = Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n", "a.yml",
                Map.of()), Clock.systemUTC());
        token = Files.readString(app.adminTokenFile().orElseThrow()).strip();
        assertThat(Files.getPosixFilePermissions(app.adminTokenFile().get()).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }

    @Test
    void api_withoutOrWithWrongToken_is401() throws Exception {
        assertThat(call("GET", "/api/v1/policy", null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/v1/policy", null, "wrong-token-wrong-token").statusCode()).isEqualTo(401);
    }

    @Test
    void evaluate_beforeAnyPolicy_deniesEverything() throws Exception {
        JsonNode d = ok(call("POST", "/api/v1/evaluate", "{\"images\": [\"gcr.io/p/x@sha256:" + "aa".repeat(32) + "\"]}", token));
        assertThat(d.get("allowed").asBoolean()).isFalse();
        assertThat(d.at("/images/0/reason").asText()).isEqualTo("ALWAYS_DENY");
    }

    @Test
    void fullFlow_attestThenEvaluate_allowsAttestedAndDeniesOthers() throws Exception {
        KeyPair kp = p256();
        ok(call("POST", "/api/v1/attestors", "{\"name\": \"" + ATTESTOR + "\", \"note\": \"CI\"}", token));
        String keyId = ok(call("POST", "/api/v1/attestor-keys", JSON.writeValueAsString(Map.of("attestor", ATTESTOR,
                "pkixPublicKey", Pem.write(kp.getPublic()), "signatureAlgorithm", "ECDSA_P256_SHA256")), token)).get("id").asText();

        Digest digest = Digest.sha256("app".getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(payload);
        String occurrence = JSON.writeValueAsString(Map.of("resourceUri", "gcr.io/p/app@" + digest, "noteName", ATTESTOR,
                "attestation", Map.of("serializedPayload", Base64.getEncoder().encodeToString(payload),
                        "signatures", java.util.List.of(Map.of("publicKeyId", keyId,
                                "signature", Base64.getEncoder().encodeToString(s.sign()))))));
        ok(call("POST", "/api/v1/attestations", occurrence, token));

        String bad = occurrence.replace(digest.hex(), "bb".repeat(32));
        HttpResponse<String> rejected = call("POST", "/api/v1/attestations", bad, token);
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(rejected.body()).get("reason").asText()).isEqualTo("DIGEST_MISMATCH");

        ok(call("PUT", "/api/v1/policy", """
                defaultAdmissionRule:
                  evaluationMode: REQUIRE_ATTESTATION
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  requireAttestationsBy: [%s]
                """.formatted(ATTESTOR), token));
        assertThat(call("GET", "/api/v1/policy", null, token).body()).contains("REQUIRE_ATTESTATION");

        JsonNode allowed = ok(call("POST", "/api/v1/evaluate",
                "{\"images\": [\"gcr.io/p/app@" + digest + "\"], \"namespace\": \"web\"}", token));
        assertThat(allowed.get("allowed").asBoolean()).isTrue();
        JsonNode denied = ok(call("POST", "/api/v1/evaluate", "{\"images\": [\"gcr.io/p/app:latest\"]}", token));
        assertThat(denied.at("/images/0/reason").asText()).isEqualTo("TAG_NOT_DIGEST");

        ok(call("POST", "/api/v1/attestor-keys/revoke", JSON.writeValueAsString(Map.of("attestor", ATTESTOR, "id", keyId)), token));
        JsonNode revoked = ok(call("POST", "/api/v1/evaluate", "{\"images\": [\"gcr.io/p/app@" + digest + "\"]}", token));
        assertThat(revoked.at("/images/0/reason").asText()).isEqualTo("REVOKED_KEY");
    }

    @Test
    void batch_twoGoodAndThenOneForged_storesTheGoodPairAndRefusesTheWholeSecondBatch() throws Exception {
        String attestor = ATTESTOR + "-batch";
        KeyPair kp = p256();
        ok(call("POST", "/api/v1/attestors", "{\"name\": \"" + attestor + "\"}", token));
        String keyId = ok(call("POST", "/api/v1/attestor-keys", JSON.writeValueAsString(Map.of("attestor", attestor,
                "pkixPublicKey", Pem.write(kp.getPublic()), "signatureAlgorithm", "ECDSA_P256_SHA256")), token)).get("id").asText();
        List<Map<String, Object>> occurrences = new ArrayList<>();
        for (String name : List.of("batch-a", "batch-b", "batch-c")) {
            Digest digest = Digest.sha256(name.getBytes(StandardCharsets.UTF_8));
            byte[] payload = SignaturePayload.forArtifact("gcr.io/p/" + name, digest);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(kp.getPrivate());
            s.update(name.equals("batch-c") ? new byte[] {1} : payload);   // batch-c's signature is over other bytes
            occurrences.add(Map.of("resourceUri", "gcr.io/p/" + name + "@" + digest, "noteName", attestor,
                    "attestation", Map.of("serializedPayload", Base64.getEncoder().encodeToString(payload),
                            "signatures", List.of(Map.of("publicKeyId", keyId,
                                    "signature", Base64.getEncoder().encodeToString(s.sign()))))));
        }
        JsonNode created = ok(call("POST", "/api/v1/attestations/batch",
                JSON.writeValueAsString(Map.of("occurrences", occurrences.subList(0, 2))), token));
        assertThat(created.get("occurrences")).hasSize(2);
        assertThat(created.at("/occurrences/1/resourceUri").asText()).startsWith("gcr.io/p/batch-b@sha256:");

        HttpResponse<String> refused = call("POST", "/api/v1/attestations/batch",
                JSON.writeValueAsString(Map.of("occurrences", List.of(occurrences.get(0), occurrences.get(2)))), token);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("reason").asText()).isEqualTo("BAD_SIGNATURE");
        assertThat(JSON.readTree(refused.body()).get("error").asText()).startsWith("attestation 2 of 2: ");
        assertThat(call("POST", "/api/v1/attestations/batch", "{\"occurrences\": {}}", token).statusCode()).isEqualTo(400);
    }

    @Test
    void putPolicy_invalidYaml_is400AndOldPolicyStays() throws Exception {
        String before = call("GET", "/api/v1/policy", null, token).body();
        HttpResponse<String> r = call("PUT", "/api/v1/policy", "defaultAdmissionRule: {evaluationMode: MAYBE}", token);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("evaluationMode");
        assertThat(call("GET", "/api/v1/policy", null, token).body()).isEqualTo(before);
    }

    @Test
    void putPolicy_requiresAnAttestorThatDoesNotExist_is400NamingItAndOldPolicyStays() throws Exception {
        String before = call("GET", "/api/v1/policy", null, token).body();
        HttpResponse<String> r = call("PUT", "/api/v1/policy", """
                defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                kubernetesNamespaceAdmissionRules:
                  web: {evaluationMode: REQUIRE_ATTESTATION, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG,
                        requireAttestationsBy: [projects/p/attestors/missing]}
                """, token);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("error").asText())
                .startsWith("the policy requires attestor projects/p/attestors/missing, which does not exist");
        assertThat(call("GET", "/api/v1/policy", null, token).body()).isEqualTo(before);
    }

    @Test
    void api_badBodies_are400NeverServerErrors() throws Exception {
        for (String body : new String[] {"", "[]", "{\"name\": 5}", "not json"}) {
            assertThat(call("POST", "/api/v1/attestors", body, token).statusCode()).as(body).isEqualTo(400);
        }
        assertThat(call("POST", "/api/v1/evaluate", "{\"images\": []}", token).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/attestations", "{\"resourceUri\": \"gcr.io/p/app:1\", \"noteName\": \"x\", "
                + "\"attestation\": {\"signatures\": [{\"publicKeyId\": \"k\", \"signature\": \"%%%\"}]}}", token).statusCode())
                .isEqualTo(400);
    }

    @Test
    void evaluate_decision_isAudited() throws Exception {
        call("POST", "/api/v1/evaluate", "{\"images\": [\"gcr.io/p/audited@sha256:" + "cc".repeat(32) + "\"], \"namespace\": \"ns1\"}", token);
        AuditEvent e = auditedEvent("gcr.io/p/audited");
        assertThat(e.capability()).isEqualTo("policy");
        assertThat(e.subject()).isEqualTo("ns1");
        assertThat(e.rule()).contains("defaultAdmissionRule");
    }

    private AuditEvent auditedEvent(String image) {
        List<AuditEvent> found = AuditLines.read(dir).stream().filter(e -> e.object().contains(image)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
