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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attestors over HTTP: listed, described, their keys listed, deleted (audited, and refused while the policy needs one). */
class AttestorApiHttpTest {
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
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, Object body) throws Exception {
        HttpResponse<String> r = call(method, path, body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body));
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }

    private String attestorWithKey(KeyPair kp) throws Exception {
        ok("POST", "/api/v1/attestors", Map.of("name", ATTESTOR, "note", "built by CI"));
        return ok("POST", "/api/v1/attestor-keys", Map.of("attestor", ATTESTOR, "pkixPublicKey", Pem.write(kp.getPublic()),
                "signatureAlgorithm", "ECDSA_P256_SHA256")).path("id").asText();
    }

    @Test
    void listAndDescribe_attestorWithARevokedKey_showTheAttestorAndItsKeys() throws Exception {
        String keyId = attestorWithKey(p256());
        ok("POST", "/api/v1/attestor-keys/revoke", Map.of("attestor", ATTESTOR, "id", keyId));

        JsonNode list = ok("GET", "/api/v1/attestors", null);
        assertThat(list.path("attestors")).singleElement().satisfies(a -> {
            assertThat(a.path("name").asText()).isEqualTo(ATTESTOR);
            assertThat(a.path("note").asText()).isEqualTo("built by CI");
        });
        JsonNode one = ok("GET", "/api/v1/attestors/" + ATTESTOR, null);
        assertThat(one.at("/publicKeys/0/id").asText()).isEqualTo(keyId);
        assertThat(one.at("/publicKeys/0/pkixPublicKey/signatureAlgorithm").asText()).isEqualTo("ECDSA_P256_SHA256");
        assertThat(one.at("/publicKeys/0/pkixPublicKey/publicKeyPem").asText()).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(one.at("/publicKeys/0/revokeTime").asText()).isNotEmpty();
        JsonNode keys = ok("GET", "/api/v1/attestor-keys?attestor=" + ATTESTOR, null);
        assertThat(keys.path("publicKeys")).hasSize(1);
    }

    @Test
    void describe_unknownAttestor_is404WithJson() throws Exception {
        for (String path : List.of("/api/v1/attestors/projects/p/attestors/none", "/api/v1/attestor-keys?attestor=nope")) {
            HttpResponse<String> r = call("GET", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(JSON.readTree(r.body()).path("error").asText()).startsWith("no attestor named ");
        }
        assertThat(call("DELETE", "/api/v1/attestors/projects/p/attestors/none", null).statusCode()).isEqualTo(404);
    }

    @Test
    void delete_attestorWithAnAttestation_isAuditedAndItsAttestationStopsCounting() throws Exception {
        KeyPair kp = p256();
        String keyId = attestorWithKey(kp);
        Digest digest = Digest.sha256("app".getBytes(StandardCharsets.UTF_8));
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(payload);
        ok("POST", "/api/v1/attestations", Map.of("resourceUri", "gcr.io/p/app@" + digest, "noteName", ATTESTOR,
                "attestation", Map.of("serializedPayload", Base64.getEncoder().encodeToString(payload),
                        "signatures", List.of(Map.of("publicKeyId", keyId, "signature", Base64.getEncoder().encodeToString(s.sign()))))));
        String policy = "defaultAdmissionRule: {evaluationMode: REQUIRE_ATTESTATION, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG, "
                + "requireAttestationsBy: [" + ATTESTOR + "]}\n";
        ok("PUT", "/api/v1/policy", policy);

        HttpResponse<String> refused = call("DELETE", "/api/v1/attestors/" + ATTESTOR, null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("the policy in force requires attestor " + ATTESTOR);

        ok("PUT", "/api/v1/policy", "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n");
        assertThat(ok("DELETE", "/api/v1/attestors/" + ATTESTOR, null).path("deleted").asText()).isEqualTo(ATTESTOR);

        assertThat(call("GET", "/api/v1/attestors/" + ATTESTOR, null).statusCode()).isEqualTo(404);
        assertThat(ok("GET", "/api/v1/attestors", null).path("attestors")).isEmpty();
        List<AuditEvent> deletes = AuditLines.read(dir).stream().filter(e -> e.object().equals("delete:" + ATTESTOR)).toList();
        assertThat(deletes).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("admin");
            assertThat(e.decision()).isEqualTo("allow");
        });
        // The same name again: the deleted attestor's attestation does not count for the new one.
        attestorWithKey(kp);
        ok("PUT", "/api/v1/policy", policy);
        JsonNode d = ok("POST", "/api/v1/evaluate", Map.of("images", List.of("gcr.io/p/app@" + digest)));
        assertThat(d.at("/images/0/reason").asText()).isEqualTo("NO_ATTESTATION");
    }

    @Test
    void create_withGrafeasNote_describedWithItAndAttestationsNamingTheNoteAreTheAttestors() throws Exception {
        KeyPair kp = p256();
        ok("POST", "/api/v1/attestors", Map.of("name", ATTESTOR, "userOwnedGrafeasNote", Map.of("noteReference", "projects/q/notes/built")));
        String keyId = ok("POST", "/api/v1/attestor-keys", Map.of("attestor", ATTESTOR, "pkixPublicKey", Pem.write(kp.getPublic()),
                "signatureAlgorithm", "ECDSA_P256_SHA256")).path("id").asText();

        assertThat(ok("GET", "/api/v1/attestors/" + ATTESTOR, null).at("/userOwnedGrafeasNote/noteReference").asText())
                .isEqualTo("projects/q/notes/built");
        Digest digest = Digest.sha256("noted".getBytes(StandardCharsets.UTF_8));
        JsonNode stored = ok("POST", "/api/v1/attestations", attestation(kp, keyId, digest, "projects/q/notes/built"));
        assertThat(stored.path("attestor").asText()).as(stored.toString()).isEqualTo(ATTESTOR);
        HttpResponse<String> byConvention = call("POST", "/api/v1/attestations",
                JSON.writeValueAsString(attestation(kp, keyId, digest, "projects/p/notes/built-by-ci")));
        assertThat(byConvention.statusCode()).isEqualTo(400);
        assertThat(byConvention.body()).contains("UNKNOWN_ATTESTOR", "note projects/p/notes/built-by-ci belongs to no attestor");
        assertThat(AuditLines.read(dir)).filteredOn(e -> e.object().equals("create:" + ATTESTOR))
                .singleElement().satisfies(e -> assertThat(e.detail()).isEqualTo("note=projects/q/notes/built"));
    }

    @Test
    void create_noteOfAnotherAttestorOrMalformed_is400NamingTheField() throws Exception {
        ok("POST", "/api/v1/attestors", Map.of("name", ATTESTOR));   // bound to projects/p/notes/built-by-ci
        for (String note : List.of("projects/p/notes/built-by-ci", "notes/x", "projects/q/notes/a/b")) {
            HttpResponse<String> r = call("POST", "/api/v1/attestors", JSON.writeValueAsString(
                    Map.of("name", "projects/q/attestors/other", "userOwnedGrafeasNote", Map.of("noteReference", note))));
            assertThat(r.statusCode()).as(note).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("field").asText()).as(r.body()).isEqualTo("noteReference");
        }
        assertThat(call("POST", "/api/v1/attestors", JSON.writeValueAsString(Map.of("name", "projects/q/attestors/other",
                "userOwnedGrafeasNote", Map.of("noteReference", "projects/p/notes/built-by-ci")))).body())
                .contains("projects/p/notes/built-by-ci is the note of attestor " + ATTESTOR);
        assertThat(ok("GET", "/api/v1/attestors", null).path("attestors")).hasSize(1);
    }

    private static Map<String, Object> attestation(KeyPair kp, String keyId, Digest digest, String noteName) throws Exception {
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(payload);
        return Map.of("resourceUri", "gcr.io/p/app@" + digest, "noteName", noteName,
                "attestation", Map.of("serializedPayload", Base64.getEncoder().encodeToString(payload),
                        "signatures", List.of(Map.of("publicKeyId", keyId, "signature", Base64.getEncoder().encodeToString(s.sign())))));
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
