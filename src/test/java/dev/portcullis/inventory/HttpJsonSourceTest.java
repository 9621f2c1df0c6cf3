package dev.portcullis.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic HTTP JSON source against a local server: shapes of answer, ETag, 429, errors. */
class HttpJsonSourceTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private volatile int status = 200;
    private volatile String body = "[]";
    private volatile String lastIfNoneMatch;
    private volatile String lastAuthorization;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hosts", ex -> {
            lastIfNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
            lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("ETag", "\"v1\"");
            if (status == 429) {
                ex.getResponseHeaders().set("Retry-After", "7");
            }
            if ("\"v1\"".equals(lastIfNoneMatch)) {
                ex.sendResponseHeaders(304, -1);
            } else {
                ex.sendResponseHeaders(status, b.length);
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

    private HttpJsonSource source(String pointer, Optional<Path> token) {
        return new HttpJsonSource(new SourceSettings.Http(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hosts"),
                token, pointer, "ip", Duration.ofSeconds(5)));
    }

    private static List<String> texts(Optional<List<Cidr>> cidrs) {
        return cidrs.orElseThrow().stream().map(Cidr::toString).toList();
    }

    @Test
    void fetch_arrayOfStrings_readsThemAndThenHonoursTheETag() {
        body = "[\"10.0.0.1\", \"10.1.0.0/16\", \"2001:db8::/48\"]";
        HttpJsonSource s = source("", Optional.empty());
        assertThat(texts(s.fetch(new Pacer(0)))).containsExactly("10.0.0.1", "10.1.0.0/16", "2001:db8:0:0:0:0:0:0/48");
        assertThat(s.fetch(new Pacer(0))).isEmpty();
        assertThat(lastIfNoneMatch).isEqualTo("\"v1\"");
    }

    @Test
    void fetch_objectsAtAPointer_readsTheirFieldWithTheBearerToken() throws Exception {
        body = "{\"data\": {\"hosts\": [{\"name\": \"a\", \"ip\": \"10.0.0.1\"}, {\"name\": \"b\", \"ip\": [\"10.0.0.2\", \"::1\"]},"
                + " {\"name\": \"c\"}]}}";
        Path token = Files.writeString(dir.resolve("token"), "s3cr3t-token\n");
        assertThat(texts(source("/data/hosts", Optional.of(token)).fetch(new Pacer(0))))
                .containsExactly("10.0.0.1", "10.0.0.2", "0:0:0:0:0:0:0:1");
        assertThat(lastAuthorization).isEqualTo("Bearer s3cr3t-token");
    }

    @Test
    void fetch_429_isThrottlingWithRetryAfter() {
        status = 429;
        assertThatThrownBy(() -> source("", Optional.empty()).fetch(new Pacer(0)))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.throttled()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                });
    }

    @Test
    void fetch_badAnswers_failNamingWhatWasWrong() {
        status = 500;
        body = "upstream down";
        assertThatThrownBy(() -> source("", Optional.empty()).fetch(new Pacer(0))).hasMessageContaining("HTTP 500: upstream down");
        status = 200;
        body = "{\"hosts\": 3}";
        assertThatThrownBy(() -> source("/hosts", Optional.empty()).fetch(new Pacer(0)))
                .hasMessageContaining("without an array at '/hosts'");
        body = "[\"10.0.0.1\", \"db.internal\"]";
        assertThatThrownBy(() -> source("", Optional.empty()).fetch(new Pacer(0)))
                .hasMessageContaining("element 1 of the answer: 'db.internal' is not an IP address");
        body = "[1, 2]";
        assertThatThrownBy(() -> source("", Optional.empty()).fetch(new Pacer(0))).hasMessageContaining("not an address string");
        server.stop(0);
        assertThatThrownBy(() -> source("", Optional.empty()).fetch(new Pacer(0)))
                .hasMessage("127.0.0.1 did not answer: connection refused");
    }
}
