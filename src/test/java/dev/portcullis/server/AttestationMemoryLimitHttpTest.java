package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testbed.SignedBatches;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.pki.Pem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Near its memory budget the server refuses new attestations over HTTP with a 503 that names the
 * reason, says so in /metrics and /readyz, and goes on deciding with everything it acknowledged.
 */
class AttestationMemoryLimitHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ATTESTOR = "projects/p/attestors/ci";

    @TempDir
    Path dir;

    private Application app;
    private String token;

    @Test
    void batch_beyondATinyMemoryBudget_refused503AndDecisionsGoOn() throws Exception {
        start();
        KeyPair kp = SignedBatches.p256();
        send("POST", "/api/v1/attestors", "{\"name\": \"" + ATTESTOR + "\"}");
        String keyId = JSON.readTree(send("POST", "/api/v1/attestor-keys", JSON.writeValueAsString(Map.of("attestor", ATTESTOR,
                "pkixPublicKey", Pem.write(kp.getPublic()), "signatureAlgorithm", "ECDSA_P256_SHA256"))).body()).get("id").asText();
        send("PUT", "/api/v1/policy", "defaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n"
                + "  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy: [" + ATTESTOR + "]\n");
        int acknowledged = 0;
        HttpResponse<String> refused = null;
        for (int batch = 0; batch < 20 && refused == null; batch++) {
            HttpResponse<String> r = send("POST", "/api/v1/attestations/batch",
                    SignedBatches.batch(ATTESTOR, kp, keyId, batch * 1000, 1000));
            if (r.statusCode() == 503) {
                refused = r;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                acknowledged += 1000;
            }
        }
        assertThat(refused).as("no batch was refused").isNotNull();
        assertThat(acknowledged).isPositive();
        JsonNode body = JSON.readTree(refused.body());
        assertThat(body.get("reason").asText()).isEqualTo("MEMORY_LIMIT");
        assertThat(body.get("error").asText()).contains("budget");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(send("POST", "/api/v1/attestations/batch", SignedBatches.batch(ATTESTOR, kp, keyId, 900_000, 1)).statusCode()).isEqualTo(503);

        HttpResponse<String> ready = send("GET", "/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("attestations").asText()).startsWith("refusing new attestations");
        String metrics = send("GET", "/metrics", null).body();
        assertThat(metrics).contains("portcullis_attestations_refusing 1.0");
        assertThat(metrics).containsPattern("portcullis_attestations_refused_batches_total [1-9]");
        assertThat(allowed(acknowledged - 1)).isTrue();
        assertThat(allowed(acknowledged)).isFalse();

        app.close();
        start();
        assertThat(allowed(0)).isTrue();
        assertThat(allowed(acknowledged - 1)).isTrue();
        app.close();
    }

    private void start() throws Exception {
        app = Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n"
                + "attestations: {memory_budget: 256KB}\n", "a.yml", Map.of()), Clock.systemUTC());
        token = Files.readString(app.adminTokenFile().orElseThrow()).strip();
    }

    private boolean allowed(int i) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/evaluate", "{\"images\": [\"gcr.io/p/app@" + SignedBatches.digest(i) + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("allowed").asBoolean();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
