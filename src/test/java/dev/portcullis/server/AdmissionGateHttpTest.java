package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.ConfigDocument;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admission gate: past {@code max_active_requests} a whole request waits unread; health and slow clients do not. */
class AdmissionGateHttpTest {
    private final CountDownLatch slowMayAnswer = new CountDownLatch(1);
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private HttpServer server;

    @BeforeEach
    void start() {
        ServerSettings settings = ServerSettings.from(ConfigDocument.parse(
                "server: {addr: \"127.0.0.1:0\", max_active_requests: 1}\n", "auth.yml", Map.of()).root().section("server"));
        server = HttpServer.start(settings, metrics, routing -> routing
                .get("/slow", (req, res) -> {
                    slowStarted.countDown();
                    try {
                        slowMayAnswer.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    res.send("slow");
                })
                .get("/fast", (req, res) -> res.send("fast"))
                .post("/fast", (req, res) -> res.send("posted " + req.content().as(String.class)))
                .get("/healthz", (req, res) -> res.send("ok")));
    }

    @AfterEach
    void stop() {
        slowMayAnswer.countDown();
        server.close();
    }

    @Test
    void secondRequest_gateFull_waitsUntilTheFirstIsAnsweredThenServed() throws Exception {
        try (Socket slow = send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")) {
            assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
            try (Socket fast = send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")) {
                assertThat(answerWithin(fast, 500)).as("answered while the only place was taken").isNull();
                assertThat(metrics.get("portcullis.requests.waiting").gauge().value()).isEqualTo(1.0);
                assertThat(metrics.get("portcullis.requests.active").gauge().value()).isEqualTo(1.0);
                slowMayAnswer.countDown();
                assertThat(answerWithin(slow, 5000)).startsWith("HTTP/1.1 200").endsWith("slow");
                assertThat(answerWithin(fast, 5000)).startsWith("HTTP/1.1 200").endsWith("fast");
            }
        }
    }

    @Test
    void healthRequest_gateFull_isAnsweredAtOnce() throws Exception {
        try (Socket slow = send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")) {
            assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
            try (Socket health = send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")) {
                assertThat(answerWithin(health, 5000)).startsWith("HTTP/1.1 200").endsWith("ok");
            }
        }
    }

    @Test
    void requestStillArriving_holdsNoPlace_othersAreServed() throws Exception {
        try (Socket trickle = send("POST /fast HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")) {
            Thread.sleep(200); // the server has read the head and part of the body
            for (int i = 0; i < 3; i++) {
                try (Socket fast = send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")) {
                    assertThat(answerWithin(fast, 5000)).as("request %d", i).startsWith("HTTP/1.1 200").endsWith("fast");
                }
            }
            trickle.getOutputStream().write("defghij".getBytes(StandardCharsets.US_ASCII));
            assertThat(answerWithin(trickle, 5000)).startsWith("HTTP/1.1 200").endsWith("posted abcdefghij");
        }
    }

    @Test
    void keepAliveConnection_manyRequestsInTurn_givesItsPlaceBackAfterEach() throws Exception {
        try (Socket a = send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"); Socket b = send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")) {
            for (int i = 0; i < 5; i++) {
                assertThat(answerWithin(a, 5000)).as("a %d", i).endsWith("fast");
                assertThat(answerWithin(b, 5000)).as("b %d", i).endsWith("fast");
                a.getOutputStream().write("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                b.getOutputStream().write("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        // The last requests of both were sent unanswered and their connections closed: the one that waited
        // leaves the queue once the server has seen its connection close, a moment after the close.
        long until = System.nanoTime() + 5_000_000_000L;
        while (metrics.get("portcullis.requests.waiting").gauge().value() != 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(metrics.get("portcullis.requests.waiting").gauge().value()).isZero();
    }

    private Socket send(String request) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** One whole answer (head and its Content-Length body), or null if none began within the time. */
    private static String answerWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        try {
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    return head.isEmpty() ? null : head.toString();
                }
                head.append((char) c);
            }
        } catch (SocketTimeoutException e) {
            if (head.isEmpty()) {
                return null;
            }
            throw e;
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }
}
