package dev.portcullis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.image.NetworkErrors;
import dev.portcullis.lint.BaseImageRewrite;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Tells the owning team what {@code lint --fix} changed: one JSON POST per file ({@code file, changes, diff, text}). */
final class FixNotifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private FixNotifier() {}

    static void post(URI url, String file, BaseImageRewrite.Result result, String diff) throws IOException {
        List<Map<String, Object>> changes = result.changes().stream()
                .map(c -> Map.<String, Object>of("line", c.line(), "from", c.from(), "to", c.to())).toList();
        String summary = file + ": " + changes.size() + " base image(s) moved by portcullis lint --fix";
        String body = JSON.writeValueAsString(Map.of("file", file, "changes", changes, "diff", diff, "text", summary));
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while notifying " + url);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot notify " + url + ": " + e.getMessage());
        } catch (IOException e) {
            throw new IOException("cannot notify " + url + ": " + NetworkErrors.reason(e), e);
        }
        if (r.statusCode() / 100 != 2) {
            throw new IOException("the notification to " + url + " was answered " + r.statusCode());
        }
    }
}
