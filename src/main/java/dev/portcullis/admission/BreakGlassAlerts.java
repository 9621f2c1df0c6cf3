package dev.portcullis.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.portcullis.config.Secret;
import dev.portcullis.config.StrictJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts every honoured break-glass to the configured alert webhook, off the review's path: the pod is
 * admitted (and audited) whether or not the alert gets through, so a slow or failing alert endpoint
 * never delays an admission. The body is JSON with a {@code text} line, which Slack's and
 * Mattermost's incoming webhooks show as it is, and the fields of the use for anything else.
 */
public final class BreakGlassAlerts {
    /** Alerts on their way at once; past it an alert is dropped and counted (the audit record stays). */
    static final int IN_FLIGHT = 32;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Secret url;
    private final HttpClient http;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    BreakGlassAlerts(Secret url) {
        this.url = url;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends one alert in the background; returns at once. */
    void alert(String object, String user, String justification, String images, String overridden) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", "Break-glass: " + object + " admitted for " + (user.isEmpty() ? "(unknown user)" : user)
                + " over the image policy (" + overridden + "). Justification: " + (justification.isEmpty() ? "(none)" : justification));
        body.put("object", object);
        body.put("user", user);
        body.put("justification", justification);
        body.put("images", images);
        body.put("overridden", overridden);
        byte[] json;
        try {
            json = StrictJson.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a break-glass alert", e);
        }
        if (!inFlight.tryAcquire()) {
            failed.incrementAndGet();
            log("break-glass alert dropped: " + IN_FLIGHT + " alerts are still on their way (the use is in the audit log)");
            return;
        }
        Thread.ofVirtual().name("break-glass-alert").start(() -> {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url.reveal())).timeout(TIMEOUT)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    sent.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    log("break-glass alert refused by the alert webhook: HTTP " + r.statusCode() + " (the use is in the audit log)");
                }
            } catch (Exception e) {
                failed.incrementAndGet();
                // The URL holds the webhook's token: the failure is named by its kind only.
                log("break-glass alert not delivered: " + e.getClass().getSimpleName() + " (the use is in the audit log)");
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                inFlight.release();
            }
        });
    }

    /** Alerts the webhook took. */
    public long sent() {
        return sent.get();
    }

    /** Alerts dropped, refused or not delivered. */
    public long failed() {
        return failed.get();
    }

    private static void log(String line) {
        System.getLogger(BreakGlassAlerts.class.getName()).log(System.Logger.Level.WARNING, line);
    }
}
