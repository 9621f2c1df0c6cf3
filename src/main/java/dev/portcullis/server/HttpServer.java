package dev.portcullis.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.util.function.Consumer;

/** The HTTP listener: Helidon SE on virtual threads, plain or TLS as the settings say. */
public final class HttpServer implements AutoCloseable {
    private final WebServer server;

    private HttpServer(WebServer server) {
        this.server = server;
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
        return new HttpServer(builder.build().start());
    }

    /** The bound port (useful when the configuration asked for port 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
