package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testbed.SignedBatches;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.attest.V27_2__AttestationEntries;
import dev.portcullis.pki.Pem;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import dev.portcullis.testbed.AdminApi;
import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./portcullis serve} in a JVM of its own with the small heap the launcher gives a small
 * container: attestations fill it until new ones are refused with 503 MEMORY_LIMIT, and the process
 * goes on answering decisions instead of stopping out of memory.
 */
@RequiresTools("bash")
class AttestationMemoryLimitIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOKEN = "memory-limit-admin-token-0123456789";
    private static final String ATTESTOR = "projects/p/attestors/ci";
    // The options the launcher picks where the process may use under 384 MB (the heap's floor).
    private static final String SMALL_HEAP = "-XX:+UseSerialGC -Xmx96m -Xmn56m -XX:ReservedCodeCacheSize=48m -XX:+ExitOnOutOfMemoryError";
    // About half of what that heap's old generation (40 MB) can hold at about 47 bytes an attestation,
    // so the start is quick; the rest comes over HTTP, as a registry's CI fills it.
    private static final int STORED = 350_000;

    @TempDir
    Path home;

    @Test
    void batches_untilTheSmallHeapIsFull_areRefused503MemoryLimitAndDecisionsGoOn() throws Exception {
        Launcher.install(home);
        KeyPair kp = SignedBatches.p256();
        String keyId = store(home.resolve("data"), kp, STORED);
        try (ServeProcess serve = ServeProcess.start(home, Launcher.environment(home, Map.of("PORTCULLIS_API_ADMIN_TOKEN", TOKEN,
                "PORTCULLIS_JAVA_OPTS", SMALL_HEAP)), "./portcullis serve", Processes.freePort())) {
            new AdminApi(serve.url(), TOKEN).send("PUT", "/api/v1/policy", "defaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n"
                    + "  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy: [" + ATTESTOR + "]\n");
            HttpResponse<String> refused = null;
            int acknowledged = 0;
            for (int batch = 0; batch < 400 && refused == null; batch++) {   // 400,000 more fill the old generation twice over
                HttpResponse<String> r = send(serve, "POST", "/api/v1/attestations/batch",
                        SignedBatches.batch(ATTESTOR, kp, keyId, STORED + batch * 1000, 1000));
                if (r.statusCode() == 503) {
                    refused = r;
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                    acknowledged += 1000;
                }
            }
            assertThat(refused).as("no batch was refused; the server says:\n" + serve.stdout() + serve.stderr()).isNotNull();
            JsonNode body = JSON.readTree(refused.body());
            assertThat(body.get("reason").asText()).isEqualTo("MEMORY_LIMIT");
            assertThat(body.get("error").asText()).startsWith("new attestations are refused for now: ");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(allowed(serve, 0)).as("stored before the start").isTrue();
            assertThat(allowed(serve, STORED + acknowledged - 1)).as("the last one acknowledged").isTrue();
            assertThat(allowed(serve, STORED + acknowledged)).as("refused, not stored").isFalse();
            assertThat(send(serve, "GET", "/readyz", null).statusCode()).isEqualTo(200);
        }
    }

    // The store as a long-running server leaves it: the attestor, its key and that many attestations'
    // entries. Written here, not through the API, which takes minutes for so many; a start reads
    // only the entries, and they are what takes the heap.
    private static String store(Path dataDir, KeyPair kp, int count) throws Exception {
        String keyId;
        try (Database db = Database.open(StoreSettings.embedded(dataDir), List.of(), List.of(new V27_2__AttestationEntries()));
             Connection c = db.connection()) {
            keyId = dev.portcullis.attest.AttestorKey.Pkix.defaultId(kp.getPublic());
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO attestors (name, note, created_at) VALUES (?, '', ?)")) {
                ps.setString(1, ATTESTOR);
                ps.setTimestamp(2, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO attestor_keys (attestor, key_id, kind, algorithm, material) "
                    + "VALUES (?, ?, 'PKIX', 'ECDSA_P256_SHA256', ?)")) {
                ps.setString(1, ATTESTOR);
                ps.setString(2, keyId);
                ps.setString(3, Pem.write(kp.getPublic()));
                ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO attestation_signers (id, attestor, key_id) VALUES (1, '" + ATTESTOR + "', '" + keyId + "')");
            }
            c.setAutoCommit(false);
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, now.toInstant());
            // As the server packs them: one row per batch of 1,000, each digest a length byte and its bytes.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO attestation_entries (signer, created_micros, digests) "
                    + "VALUES (1, ?, ?)")) {
                for (int from = 0; from < count; from += 1000) {
                    java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
                    for (int i = from; i < Math.min(count, from + 1000); i++) {
                        packed.write(32);
                        packed.writeBytes(java.util.HexFormat.of().parseHex(SignedBatches.digest(i).hex()));
                    }
                    ps.setLong(1, micros);
                    ps.setBytes(2, packed.toByteArray());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            }
        }
        return keyId;
    }

    private static boolean allowed(ServeProcess serve, int i) throws Exception {
        HttpResponse<String> r = send(serve, "POST", "/api/v1/evaluate", "{\"images\": [\"gcr.io/p/app@" + SignedBatches.digest(i) + "\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("allowed").asBoolean();
    }

    private static HttpResponse<String> send(ServeProcess serve, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(serve.url() + path)).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
