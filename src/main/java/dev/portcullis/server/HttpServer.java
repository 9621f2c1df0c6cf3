package dev.portcullis.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.util.function.Consumer;

/** The HTTP listener: Helidon SE on virtual threads, plain or TLS as the settings say. */
public final class HttpServer implements AutoCloseable {
    private final WebServer server;
    private final UnixSocketBridge unix;

    private HttpServer(WebServer server, UnixSocketBridge unix) {
        this.server = server;
        this.unix = unix;
    }

    /** Binds and starts; the routes are registered under the configured path prefix where they say so. */
    public static HttpServer start(ServerSettings settings, Consumer<HttpRouting.Builder> routes) {
        WebServerConfig.Builder builder = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .maxPayloadSize(8L * 1024 * 1024)
                .routing(routes::accept);
        if (settings.isTls()) {
            builder.tls(TlsContexts.serverTls(settings));
        }
        WebServer started = builder.build().start();
        // Helidon logs a listener that failed to bind and carries on; a server that cannot listen must not start.
        if (!started.isRunning() || started.port() <= 0) {
            started.stop();
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port()
                    + " (address in use, or not an address of this host)");
        }
        try {
            return new HttpServer(started, settings.unixSocket().map(p -> UnixSocketBridge.start(p, started.port())).orElse(null));
        } catch (RuntimeException e) {
            started.stop();
            throw e;
        }
    }

    /** The bound port (useful when the configuration asked for port 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        if (unix != null) {
            unix.close();
        }
        server.stop();
    }
}
