package dev.portcullis.inventory;

import dev.portcullis.image.NetworkErrors;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The HTTP exchange the JSON sources share: the pacer first, 429 and 5xx as failures that say why, a size cap. */
final class SourceHttp {
    static final int MAX_BODY = 64 << 20;

    private SourceHttp() {}

    /** Sends the request; a 2xx or 304 is returned, anything else is a {@link SourceException} naming {@code who}. */
    static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, Pacer pacer, String who) {
        pacer.acquire();
        HttpResponse<byte[]> res;
        try {
            res = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SourceException(who + " did not answer: " + NetworkErrors.reason(e), false, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("stopped while asking " + who);
        }
        int status = res.statusCode();
        if (status == 429) {
            throw new SourceException(who + " answered 429 Too Many Requests", true, retryAfter(res).orElse(null), null);
        }
        if (status == 304 || status / 100 == 2) {
            if (res.body() != null && res.body().length > MAX_BODY) {
                throw new SourceException(who + " answered more than " + (MAX_BODY >> 20) + " MiB");
            }
            return res;
        }
        throw new SourceException(who + " answered HTTP " + status + excerpt(res.body()), status == 503,
                retryAfter(res).orElse(null), null);
    }

    /** The bearer token in a file, read at each refresh (so a rotated one is used), trimmed. */
    static String token(Path file) {
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (t.isEmpty() || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new SourceException("the token file " + file + " is empty or holds more than one token");
            }
            return t;
        } catch (IOException e) {
            throw new SourceException("cannot read the token file " + file + ": " + e.getMessage());
        }
    }

    // Retry-After in seconds (the HTTP-date form is rare from APIs and read as absent).
    private static Optional<Duration> retryAfter(HttpResponse<?> res) {
        return res.headers().firstValue("Retry-After").map(String::strip).filter(v -> v.matches("[0-9]{1,6}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v)));
    }

    // The start of an error body, printable, so the operator sees the API's reason (never a header, so no token).
    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return ": " + IpLiteral.printable(s);
    }
}
