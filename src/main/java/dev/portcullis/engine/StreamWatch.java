package dev.portcullis.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;

/**
 * While an answer streams for as long as the engine likes ({@code events}, {@code logs -f},
 * {@code stats}, {@code wait}), a client that goes away ends the engine's side too: without this the
 * guard would notice only at the engine's next output, which a quiet container may never send. The
 * watch reads the client's side; the connection ends with the stream, since a client sends nothing
 * while it reads one.
 */
final class StreamWatch implements AutoCloseable {
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Upstream.Connection up;

    // Started once the request is sent, before the answer's head: an engine may send even that only
    // with the first output (Podman's logs -f of a quiet container).
    StreamWatch(SSLSocket client, InputStream in, Upstream.Connection up) throws IOException {
        this.up = up;
        client.setSoTimeout(0); // a stream may be quiet for hours
        Thread.ofVirtual().name("stream-watch").start(() -> {
            try {
                in.read();
            } catch (IOException e) {
                // the client is gone
            }
            if (done.compareAndSet(false, true)) {
                this.up.close();
            }
        });
    }

    /** The connection the request was sent on again (a retry on a new one). */
    void watch(Upstream.Connection next) {
        up = next;
    }

    /** Whether the request asks for an answer the engine may hold open indefinitely. */
    static boolean streams(RequestLine line, EnginePath path) {
        String p = path.matchPath();
        String q = "&" + path.query() + "&";
        return line.method().equals("GET") && (p.equals("/events")
                || p.matches("/containers/[^/]+/logs") && (q.contains("&follow=1&") || q.contains("&follow=true&"))
                || p.matches("/containers/[^/]+/stats") && !q.contains("&stream=0&") && !q.contains("&stream=false&"))
                || line.method().equals("POST") && p.matches("/containers/[^/]+/wait");
    }

    @Override
    public void close() {
        done.set(true);
    }
}
