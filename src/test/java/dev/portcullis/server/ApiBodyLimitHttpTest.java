package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's body limit is the listener's: what is over it is answered 413 with a JSON body naming it. */
class ApiBodyLimitHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static Application app;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        app = Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n", "a.yml",
                Map.of()), Clock.systemUTC());
        token = Files.readString(app.adminTokenFile().orElseThrow()).strip();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    // {"occurrences": [ ... ]} padded with spaces to the size asked for: valid JSON if it were read.
    private static byte[] batchOf(int bytes) {
        byte[] b = new byte[bytes];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] head = "{\"occurrences\": [".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
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
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] json = "{\"name\": \"big-body\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(json, 0, b, 0, json.length);
        HttpResponse<String> r = post("/api/v1/attestors", b);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
