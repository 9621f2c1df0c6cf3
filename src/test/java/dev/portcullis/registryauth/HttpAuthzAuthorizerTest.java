package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.testbed.MutableClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** http_authz against a real HTTP endpoint on loopback. */
class HttpAuthzAuthorizerTest {
    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> answer = new AtomicReference<>("");
    private final AtomicReference<String> lastBody = new AtomicReference<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T00:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/authz", ex -> {
            calls.incrementAndGet();
            lastBody.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] b = answer.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpAuthzAuthorizer authorizer(String extra) {
        String yaml = "x: {url: \"http://127.0.0.1:" + server.getAddress().getPort() + "/authz\"" + extra + "}";
        return HttpAuthzAuthorizer.from(ConfigDocument.parse(yaml, "h.yml", Map.of()).root().section("x"), clock);
    }

    private static AuthzRequest request() {
        return new AuthzRequest("ci", "repository", "team/app", "registry.local", "10.1.2.3", Set.of("pull", "push"), Map.of());
    }

    @Test
    void authorize_200_grantsRequestedAndSendsDockerAuthJson() {
        AuthzResult r = authorizer("").authorize(request());
        assertThat(((AuthzResult.Decided) r).actions()).containsExactlyInAnyOrder("pull", "push");
        assertThat(lastBody.get()).contains("\"IP\":\"10.1.2.3\"", "\"Account\":\"ci\"");
    }

    @Test
    void authorize_200WithActions_narrowsGrant() {
        answer.set("{\"actions\": [\"pull\"]}");
        assertThat(((AuthzResult.Decided) authorizer("").authorize(request())).actions()).containsExactly("pull");
    }

    @Test
    void authorize_403_deniesAnd404_hasNoOpinion() {
        status.set(403);
        assertThat(((AuthzResult.Decided) authorizer("").authorize(request())).actions()).isEmpty();
        status.set(404);
        assertThat(authorizer("").authorize(request())).isInstanceOf(AuthzResult.NoMatch.class);
    }

    @Test
    void authorize_repeatedErrors_opensCircuitThenRetriesAfterCoolDown() {
        status.set(500);
        HttpAuthzAuthorizer a = authorizer(", failure_threshold: 2, cool_down: 30s");
        assertThatThrownBy(() -> a.authorize(request())).hasMessageContaining("answered 500");
        assertThatThrownBy(() -> a.authorize(request())).hasMessageContaining("answered 500");
        assertThatThrownBy(() -> a.authorize(request())).hasMessageContaining("circuit open");
        assertThat(calls).hasValue(2);
        clock.advance(Duration.ofSeconds(31));
        status.set(200);
        assertThat(a.authorize(request())).isInstanceOf(AuthzResult.Decided.class);
    }

    @Test
    void authorize_unreachable_failsClosed() {
        server.stop(0);
        assertThatThrownBy(() -> authorizer(", timeout: 500ms").authorize(request())).isInstanceOf(AuthServiceException.class);
    }

    @Test
    void from_badUrl_namesKey() {
        assertThatThrownBy(() -> HttpAuthzAuthorizer.from(ConfigDocument.parse("x: {url: 'ftp://x'}", "h.yml", Map.of())
                .root().section("x"), Clock.systemUTC())).hasMessageContaining("x.url");
    }
}
