package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.attest.AttestationRejectedException;
import dev.portcullis.attest.SignaturePayload;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.StrictJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the admin API's JSON bodies over HTTP against a started {@link Application}, and the JSON
 * readers beneath them: any body sent to any admin route is answered with a 2xx or a 4xx carrying a
 * JSON error body, never a 5xx or a stack trace. Without JAZZER_FUZZ set, the seeds under
 * src/test/resources run as regression tests.
 */
class AdminApiFuzzTest {
    private static final String TOKEN = "fuzzing-admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String[]> ROUTES = List.of(
            new String[] {"POST", "/api/v1/attestors"},
            new String[] {"POST", "/api/v1/attestor-keys"},
            new String[] {"POST", "/api/v1/attestor-keys/revoke"},
            new String[] {"POST", "/api/v1/attestations"},
            new String[] {"POST", "/api/v1/attestations/batch"},
            new String[] {"POST", "/api/v1/evaluate"},
            new String[] {"PUT", "/api/v1/policy"});

    /** One server for the whole run: started on first use, stopped with the JVM. */
    private static final class Server {
        static final Application APP = start();

        private static Application start() {
            try {
                Path dir = Files.createTempDirectory("admin-fuzz");
                String yaml = "server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\napi: {admin_token: \"" + TOKEN + "\"}\n";
                Application app = Application.start(ConfigDocument.parse(yaml, "auth.yml", Map.of()), Clock.systemUTC());
                Runtime.getRuntime().addShutdownHook(new Thread(app::close));
                return app;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void adminRoutes_anyBody_answeredWithoutServerError(FuzzedDataProvider data) throws Exception {
        String[] route = ROUTES.get(data.consumeInt(0, ROUTES.size() - 1));
        byte[] body = data.consumeRemainingAsBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Server.APP.port() + route[1]))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", route[0].equals("PUT") ? "application/yaml" : "application/json")
                .method(route[0], HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s", route[0], route[1]).isBetween(200, 499);
        if (r.statusCode() >= 400) {
            assertThat(JSON.readTree(r.body()).isObject()).as(r.body()).isTrue();
            assertThat(r.body()).doesNotContain("Exception", "\tat ", "SQL");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void strictJson_anyBytes_readsOrRefusesNamingTheProblem(byte[] input) {
        try {
            assertThat(StrictJson.read(input)).isNotNull();
        } catch (StrictJson.InvalidJsonException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void signaturePayload_anyBytes_parsesOrRejects(byte[] input) {
        try {
            SignaturePayload p = SignaturePayload.parse(input);
            assertThat(p).isNotNull();
        } catch (AttestationRejectedException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
