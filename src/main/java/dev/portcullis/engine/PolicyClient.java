package dev.portcullis.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.StrictJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The image check at container create: the policy of a running {@code portcullis serve}
 * ({@code POST /api/v1/evaluate}, with the identity as SPIFFE ID when it is one), so an image banned
 * or not attested is refused at the engine as at Kubernetes. Fails closed: a server that does not
 * answer refuses the create.
 */
public final class PolicyClient implements BiFunction<String, String, Optional<String>> {
    private final URI evaluate;
    private final Path tokenFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public PolicyClient(URI server, Path tokenFile) {
        this.evaluate = server.resolve("/api/v1/evaluate");
        this.tokenFile = tokenFile;
    }

    /** Why the image may not run, or empty when the policy allows it. */
    @Override
    public Optional<String> apply(String identity, String image) {
        if (image.isBlank()) {
            return Optional.of("the container names no image");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("images", java.util.List.of(image));
        body.put("cluster", "engine");
        if (identity.startsWith("spiffe://")) {
            body.put("spiffeId", identity);
        }
        try {
            String token = Files.readString(tokenFile).strip(); // read each time: a rotated token is picked up
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(evaluate).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(StrictJson.mapper().writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                return Optional.of("the policy server answered " + r.statusCode() + "; images are refused until it answers");
            }
            JsonNode d = StrictJson.read(r.body());
            if (d.path("allowed").asBoolean(false)) {
                return Optional.empty();
            }
            JsonNode v = d.path("images").path(0);
            return Optional.of("the policy denies image " + image + ": " + v.path("reason").asText("denied")
                    + (v.hasNonNull("message") ? " (" + v.path("message").asText() + ")" : ""));
        } catch (JsonProcessingException | StrictJson.InvalidJsonException e) {
            return Optional.of("the policy server's answer is not JSON; images are refused until it answers");
        } catch (IOException e) {
            return Optional.of("the policy server cannot be reached (" + e.getMessage() + "); images are refused until it answers");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while asking the policy server");
        }
    }
}
