package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.server.ListenerHardeningTest.Exchange;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection caps: past them a client gets 503 with Retry-After at once, and a freed slot is usable again. */
class ListenerCapsTest {
    private static final String HEALTH = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    /** Not an operations route: past a cap it is refused (those are served from a reserve). */
    private static final String TOKEN = "GET /auth?service=registry.local HTTP/1.1\r\nHost: x\r\n\r\n";

    @TempDir
    Path dir;

    private Application start(String limits) {
        String yaml = """
                server: {addr: "127.0.0.1:0", %s}
                data_dir: "%s"
                """.formatted(limits, dir);
        return Application.start(ConfigDocument.parse(yaml, "auth.yml", Map.of()), Clock.systemUTC());
    }

    private static Socket openAndServe(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5000);
        s.getOutputStream().write(HEALTH.getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[512];
        int n = s.getInputStream().read(buf);
        assertThat(new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        return s;
    }

    @Test
    void perAddressCap_reached_answers503WithRetryAfter_andFreesOnClose() throws Exception {
        try (Application app = start("max_connections_per_address: 2, limit_loopback: true")) {
            List<Socket> held = new ArrayList<>();
            held.add(openAndServe(app.port()));
            held.add(openAndServe(app.port()));
            Exchange refused = ListenerHardeningTest.exchange(app.port(), TOKEN);
            assertThat(refused.statuses()).containsExactly(503);
            assertThat(refused.text()).contains("Retry-After: 1", "\"UNAVAILABLE\"", "too many connections");
            assertThat(refused.closed()).isTrue();
            held.remove(0).close();
            awaitServed(app.port());
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void perAddressCap_loopbackExemptByDefault_servesPastTheCap() throws Exception {
        try (Application app = start("max_connections_per_address: 1")) {
            try (Socket a = openAndServe(app.port()); Socket b = openAndServe(app.port())) {
                assertThat(a.isConnected() && b.isConnected()).isTrue();
            }
        }
    }

    @Test
    void perAddressCap_behindAProxy_doesNotCapThePeer() throws Exception {
        try (Application app = start("max_connections_per_address: 1, limit_loopback: true, real_ip_header: X-Real-IP")) {
            try (Socket a = openAndServe(app.port()); Socket b = openAndServe(app.port())) {
                assertThat(a.isConnected() && b.isConnected()).isTrue();
            }
        }
    }

    @Test
    void listenerCap_reached_answers503() throws Exception {
        try (Application app = start("max_connections: 1")) {
            try (Socket held = openAndServe(app.port())) {
                Exchange refused = ListenerHardeningTest.exchange(app.port(), TOKEN);
                assertThat(refused.statuses()).containsExactly(503);
                assertThat(held.isClosed()).isFalse();
            }
            awaitServed(app.port());
        }
    }

    @Test
    void listenerCap_reached_stillAnswersHealthReadinessAndMetrics() throws Exception {
        try (Application app = start("max_connections: 1")) {
            try (Socket held = openAndServe(app.port())) {
                for (String path : List.of("/healthz", "/readyz", "/metrics")) {
                    Exchange e = ListenerHardeningTest.exchange(app.port(),
                            "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    assertThat(e.statuses()).as(path).containsExactly(200);
                }
                Exchange metrics = ListenerHardeningTest.exchange(app.port(),
                        "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(metrics.text()).contains("portcullis_connections_shed_total", "portcullis_connections_open");
                assertThat(ListenerHardeningTest.exchange(app.port(), "GET /auth HTTP/1.1\r\nHost: x\r\n\r\n").statuses())
                        .containsExactly(503);
                assertThat(held.isClosed()).isFalse();
            }
        }
    }

    @Test
    void connectionsFor_heapSizes_scaleWithTheHeapWithinBounds() {
        assertThat(ListenerLimits.connectionsFor(96L << 20)).isEqualTo(2457);
        assertThat(ListenerLimits.connectionsFor(1L << 30)).isEqualTo(20_000);
        assertThat(ListenerLimits.connectionsFor(1L << 20)).isEqualTo(256);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "GET /healthz HTTP/1.1|true", "GET /readyz?x=1 HTTP/1.1|true", "GET /metrics HTTP/1.1|true",
            "POST /api/v1/policy HTTP/1.1|true", "GET /auth HTTP/1.1|false", "GET /healthzz HTTP/1.1|false",
            "defghij|false", "GET|false", "' '|false"})
    void isOpsRequest_requestStarts_onlyOperationsAndAdminRoutes(String start, boolean ops) {
        assertThat(GuardedHttp1.isOpsRequest(start.getBytes(StandardCharsets.US_ASCII))).isEqualTo(ops);
    }

    /** The slot is released when the server has seen the close, a moment after the client's. */
    private static void awaitServed(int port) throws Exception {
        for (int i = 0; i < 50; i++) {
            Exchange e = ListenerHardeningTest.exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            if (e.statuses().equals(List.of(200))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("a freed connection slot was never usable again");
    }
}
