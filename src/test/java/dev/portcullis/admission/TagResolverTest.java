package dev.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.image.ImageReference;
import dev.portcullis.image.RegistryClient;
import dev.portcullis.testbed.MutableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The resolver's manners with a registry (a local HTTP one speaking the distribution API's HEAD): 429 back-off, caching. */
class TagResolverTest {
    private static final String DIGEST = "sha256:" + "4d".repeat(32);
    private HttpServer server;
    private final AtomicInteger heads = new AtomicInteger();
    private volatile int status = 200;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private TagResolver resolver;
    private String host;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", ex -> {
            heads.incrementAndGet();
            if (status == 200) {
                ex.getResponseHeaders().add("Docker-Content-Digest", DIGEST);
            } else if (status == 429) {
                ex.getResponseHeaders().add("Retry-After", "7");
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
        MutateSettings settings = new MutateSettings(true, Map.of(), Set.of(host), 2, Duration.ofMinutes(5), Duration.ofSeconds(30), 4);
        resolver = new TagResolver(new RegistryClient(Set.of(host)), settings, clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private TagResolver.Answer resolve(String tag) {
        return resolver.resolve(ImageReference.parse(host + "/team/app:" + tag));
    }

    @Test
    void resolve_throttled_noLookUpUntilRetryAfterThenAskedAgain() {
        status = 429;
        assertThat(resolve("1.0")).isInstanceOfSatisfying(TagResolver.Answer.Unresolved.class,
                u -> assertThat(u.reason()).contains("throttling look-ups (429)").contains("7 s"));
        assertThat(resolve("2.0")).isInstanceOfSatisfying(TagResolver.Answer.Unresolved.class,
                u -> assertThat(u.reason()).contains("asked to slow down"));
        assertThat(heads).hasValue(1);

        status = 200;
        clock.advance(Duration.ofSeconds(8));
        assertThat(resolve("2.0")).isInstanceOfSatisfying(TagResolver.Answer.Resolved.class,
                r -> assertThat(r.digest().toString()).isEqualTo(DIGEST));
        assertThat(heads).hasValue(2);
    }

    @Test
    void resolve_repeated_answeredFromTheCacheUntilItsTimeThenAskedAgain() {
        resolve("1.0");
        resolve("1.0");
        assertThat(heads).hasValue(1);
        clock.advance(Duration.ofMinutes(6));
        resolve("1.0");
        assertThat(heads).hasValue(2);
    }

    @Test
    void resolve_moreTagsThanTheCacheHolds_leastRecentlyUsedLeaves() {
        resolve("a");
        resolve("b");
        resolve("a");
        resolve("c"); // the cache holds 2: b leaves
        assertThat(resolver.cached()).isEqualTo(2);
        int before = heads.get();
        resolve("a");
        assertThat(heads.get()).isEqualTo(before);
        resolve("b");
        assertThat(heads.get()).isEqualTo(before + 1);
    }
}
