package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.platform.Capability;
import dev.portcullis.platform.Module;
import dev.portcullis.platform.NoSettings;
import dev.portcullis.platform.StartContext;
import dev.portcullis.testbed.AdmissionReviews;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** While the server is starting and its policy is not loaded, the webhook denies and says why (fail closed). */
class AdmissionStartingHttpTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** A capability that holds the start until released: the listener is up, the admission webhook not yet started. */
    static final class Held implements Capability<NoSettings, Module> {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "held";
        }

        @Override
        public Set<String> sections() {
            return Set.of();
        }

        @Override
        public NoSettings settings(ConfigSection root, Path dataDir) {
            return new NoSettings();
        }

        @Override
        public Module start(NoSettings settings, StartContext context) {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Module() {};
        }
    }

    @Test
    void validate_whileStarting_deniedSayingThePolicyIsNotLoaded() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Held held = new Held();
        List<Mounted<?, ?>> all = new ArrayList<>(Capabilities.all());
        all.add(all.stream().map(m -> m.capability().name()).toList().indexOf("admission"), new Mounted<>(held, (m, ctx) -> List.of()));
        CompletableFuture<Application> app = CompletableFuture.supplyAsync(() -> Application.start(ConfigDocument.parse(
                "server: {addr: \"127.0.0.1:" + port + "\"}\ndata_dir: \"" + dir + "\"\n", "a.yml", Map.of()), Clock.systemUTC(), all));
        try {
            AdmissionReviews.Kind pod = AdmissionReviews.KINDS.get(0);
            String review = AdmissionReviews.review("admission.k8s.io/v1", pod, "uid-starting",
                    AdmissionReviews.object(pod, "gcr.io/p/app:1", "gcr.io/p/setup:1", "busybox"), false);
            HttpResponse<String> r = postWhenListening(port, review);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode response = new ObjectMapper().readTree(r.body()).get("response");
            assertThat(response.get("uid").asText()).isEqualTo("uid-starting");
            assertThat(response.get("allowed").asBoolean()).isFalse();
            assertThat(response.at("/status/code").asInt()).isEqualTo(403);
            assertThat(response.at("/status/message").asText()).contains("has not loaded its policy yet");
            // Every other route still says it is starting.
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/policy")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
        } finally {
            held.release.countDown();
            app.get(60, TimeUnit.SECONDS).close();
        }
    }

    private static HttpResponse<String> postWhenListening(int port, String body) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admission/validate"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
