package dev.portcullis.server;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ErrorHandling;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The HTTP listener: Helidon SE on virtual threads, plain or TLS as the settings say, every connection
 * read through {@link GuardedHttp1} (framing checked before Helidon parses it, read deadlines,
 * connection caps).
 */
public final class HttpServer implements AutoCloseable {
    private final WebServer server;
    private final UnixSocketBridge unix;
    private final ConnectionWatchdog watchdog;

    private HttpServer(WebServer server, UnixSocketBridge unix, ConnectionWatchdog watchdog) {
        this.server = server;
        this.unix = unix;
        this.watchdog = watchdog;
    }

    /**
     * A listener of its own beside the main one (the admission webhook's): another address, TLS always,
     * its own routes, behind the same connection caps and request gate as the main listener.
     */
    record Socket(String name, String host, int port, io.helidon.common.tls.Tls tls, Consumer<HttpRouting.Builder> routes) {}

    /** Binds and starts; the routes are registered under the configured path prefix where they say so. */
    public static HttpServer start(ServerSettings settings, MeterRegistry metrics, Consumer<HttpRouting.Builder> routes) {
        return start(settings, metrics, routes, java.util.Optional.empty());
    }

    /** As {@link #start(ServerSettings, MeterRegistry, Consumer)}, with {@code socket} listening too. */
    static HttpServer start(ServerSettings settings, MeterRegistry metrics, Consumer<HttpRouting.Builder> routes,
                            java.util.Optional<Socket> socket) {
        HelidonLogHygiene.install();
        ListenerLimits limits = settings.limits();
        ConnectionWatchdog watchdog = new ConnectionWatchdog(limits);
        metrics.more().counter("portcullis.connections.timed.out", java.util.List.of(), watchdog, ConnectionWatchdog::expired);
        MalformedRequestLog malformed = new MalformedRequestLog(Clock.systemUTC());
        metrics.more().counter("portcullis.requests.malformed", java.util.List.of(), malformed, MalformedRequestLog::total);
        // One selector for every socket: the connection caps and the gate on requests worked on at once
        // count the webhook's connections with the main listener's.
        GuardedHttp1 guarded = new GuardedHttp1(limits, settings.realIpHeader().isPresent(), watchdog, malformed, metrics);
        WebServerConfig.Builder builder = guard(WebServer.builder(), limits, guarded)
                .host(settings.host())
                .port(settings.port())
                // Plain listeners use blocking sockets: one 8 KiB buffer a connection where Helidon's NIO socket
                // keeps two. TLS stays on NIO: Helidon 4.5.0's blocking TLS socket ignores the configured
                // protocols (a TLS 1.2 client got in with tls_min_version TLS13; TlsListenerTest).
                .useNio(settings.isTls())
                .routing(routing -> closingRoutes(routing, routes));
        if (settings.isTls()) {
            builder.tls(TlsContexts.serverTls(settings));
        }
        socket.ifPresent(sk -> builder
                .putSocket(sk.name(), listener -> guard(listener, limits, guarded).host(sk.host()).port(sk.port())
                        .useNio(true).tls(sk.tls()))
                .routing(sk.name(), routing -> closingRoutes(routing, sk.routes())));
        WebServer started;
        try {
            started = builder.build().start();
        } catch (RuntimeException e) {
            watchdog.close();
            throw e;
        }
        // Helidon logs a listener that failed to bind and carries on (or stops every socket); a server
        // that cannot listen must not start.
        if (!started.isRunning() || started.port() <= 0
                || socket.isPresent() && started.port(socket.get().name()) <= 0) {
            started.stop();
            watchdog.close();
            // Which address failed, as Helidon does not say: the other socket's, when it cannot be bound now.
            if (socket.isPresent() && !bindable(socket.get().host(), socket.get().port())) {
                throw new CannotListenException("cannot listen on " + socket.get().host() + ":" + socket.get().port()
                        + " (address in use, or not an address of this host)", socket.get().name());
            }
            throw new CannotListenException("cannot listen on " + settings.host() + ":" + settings.port()
                    + " (address in use, or not an address of this host)", "server");
        }
        try {
            return new HttpServer(started, settings.unixSocket().map(p -> UnixSocketBridge.start(p, started.port())).orElse(null),
                    watchdog);
        } catch (RuntimeException e) {
            started.stop();
            watchdog.close();
            throw e;
        }
    }

    private static boolean bindable(String host, int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(host, port), 1);
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    // What every socket shares: the one guarded protocol, the body limit, Helidon's own answers.
    private static <B extends io.helidon.webserver.ListenerConfig.BuilderBase<B, ?>> B guard(B b, ListenerLimits limits,
                                                                                             GuardedHttp1 guarded) {
        b.maxPayloadSize(limits.maxBody())
                .backlog(8192)
                .protocolsDiscoverServices(false)
                .clearProtocols()
                // The only protocol: no Helidon selector reads a byte before ours has the connection.
                .addConnectionSelector(guarded)
                .errorHandling(ErrorHandling.builder().includeEntity(true).build())
                .directHandlers(directHandlers());
        if (limits.maxConcurrentRequests() > 0) {
            b.maxConcurrentRequests(limits.maxConcurrentRequests());
        }
        return b;
    }

    private static void closingRoutes(HttpRouting.Builder routing, Consumer<HttpRouting.Builder> routes) {
        // Outermost: an answer that closes the connection does close it, whatever Helidon's
        // loop would read next (after a 413 or a broken body it would parse the rest as a request).
        routing.addFilter((chain, req, res) -> {
            chain.proceed();
            if (res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
                throw new CloseConnectionException("the answer closes the connection");
            }
        });
        routes.accept(routing);
    }

    private static DirectHandlers directHandlers() {
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            b.addHandler(type, HttpServer::directAnswer);
        }
        return b.build();
    }

    /** Answers Helidon gives outside the routes (a request it could not parse): the registry's JSON error body. */
    private static DirectHandler.TransportResponse directAnswer(DirectHandler.TransportRequest request,
            DirectHandler.EventType type, io.helidon.http.Status status, io.helidon.http.ServerResponseHeaders headers,
            String message) {
        String text = message == null || message.isBlank() ? status.reasonPhrase() : message;
        byte[] body = JsonAnswer.registryErrorBytes(errorCode(status.code()), HelidonLogHygiene.printable(text));
        DirectHandler.TransportResponse.Builder answer = DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .entity(body);
        if (status.code() == 503) {
            answer.header(HeaderNames.RETRY_AFTER, "1"); // Helidon's "too many concurrent requests"
        }
        return answer.build();
    }

    /** The distribution registry's error codes, as {@code TokenRoutes} answers them. */
    private static String errorCode(int status) {
        return switch (status) {
            case 413, 414, 431 -> "SIZE_INVALID";
            case 503 -> "UNAVAILABLE";
            case 408 -> "TIMEOUT";
            default -> "UNSUPPORTED";
        };
    }

    /** The configured address cannot be bound; {@code Application} names the key that set it. */
    static final class CannotListenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final String socket;

        CannotListenException(String message, String socket) {
            super(message);
            this.socket = socket;
        }

        /** {@code server} for the main listener, else the name of the other socket. */
        String socket() {
            return socket;
        }
    }

    /** The bound port (useful when the configuration asked for port 0). */
    public int port() {
        return server.port();
    }

    /** The bound port of a {@link Socket} by its name. */
    int port(String socket) {
        return server.port(socket);
    }

    @Override
    public void close() {
        if (unix != null) {
            unix.close();
        }
        server.stop();
        watchdog.close();
    }
}
