package dev.portcullis.registryauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigSection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code http_authz}: the {@code ext_authz} question asked of an HTTP endpoint (the "IP cache service"
 * pattern without a shell script in between). The request JSON is POSTed; 200 grants the requested
 * actions, narrowed to {@code {"actions": [...]}} when the body names them; 403 denies; 404 means no
 * opinion; anything else, a timeout or an open circuit fails closed.
 */
final class HttpAuthzAuthorizer implements Authorizer {
    private static final Set<String> KEYS = Set.of("url", "timeout", "failure_threshold", "cool_down");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;
    private final CircuitBreaker breaker;

    private HttpAuthzAuthorizer(URI url, Duration timeout, CircuitBreaker breaker) {
        this.url = url;
        this.timeout = timeout;
        this.breaker = breaker;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public static HttpAuthzAuthorizer from(ConfigSection s, Clock clock) {
        s.rejectUnknown(KEYS);
        String raw = s.requireString("url");
        URI url;
        try {
            url = URI.create(raw);
        } catch (IllegalArgumentException e) {
            throw s.error("url", "is not a URL: " + e.getMessage());
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw s.error("url", "must be an http:// or https:// URL with a host");
        }
        Duration timeout = s.duration("timeout", Duration.ofSeconds(2));
        if (timeout.isZero() || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw s.error("timeout", "must be between 1ms and 30s");
        }
        return new HttpAuthzAuthorizer(url, timeout, new CircuitBreaker(s.integer("failure_threshold", 5, 1, 1000),
                s.duration("cool_down", Duration.ofSeconds(30)), clock));
    }

    /** Whether its circuit breaker refuses calls now. */
    boolean circuitOpen() {
        return breaker.open();
    }

    @Override
    public AuthzResult authorize(AuthzRequest request) {
        breaker.before("http_authz " + url);
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ExtAuthzAuthorizer.requestJson(request))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            breaker.failure();
            throw new AuthServiceException("http_authz " + url + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            breaker.failure();   // a half-open breaker's trial must answer, or no call would pass again
            Thread.currentThread().interrupt();
            throw new AuthServiceException("http_authz: interrupted");
        }
        String rule = "http_authz " + url;
        switch (response.statusCode()) {
            case 200 -> {
                breaker.success();
                return new AuthzResult.Decided(narrowed(request.actions(), response.body()), rule);
            }
            case 403 -> {
                breaker.success();
                return new AuthzResult.Decided(Set.of(), rule);
            }
            case 404 -> {
                breaker.success();
                return new AuthzResult.NoMatch();
            }
            default -> {
                breaker.failure();
                throw new AuthServiceException("http_authz " + url + " answered " + response.statusCode());
            }
        }
    }

    private static Set<String> narrowed(Set<String> requested, String body) {
        if (body == null || body.isBlank() || body.length() > 64 * 1024) {
            return requested;
        }
        try {
            JsonNode actions = JSON.readTree(body).path("actions");
            if (!actions.isArray()) {
                return requested;
            }
            Set<String> allowed = new LinkedHashSet<>();
            actions.forEach(a -> allowed.add(a.asText()));
            return allowed;
        } catch (IOException e) {
            return requested;
        }
    }
}
