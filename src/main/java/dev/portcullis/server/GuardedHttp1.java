package dev.portcullis.server;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listener's HTTP/1 protocol: Helidon's own connection, fed through a {@link GuardedStream}, behind
 * caps on open connections (in all and per client address) that answer 503 with {@code Retry-After}
 * instead of queueing. It answers HTTP/1.0 too (Helidon's own selector refuses it).
 */
final class GuardedHttp1 implements ServerConnectionSelector {
    private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n"
            + "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s").formatted(busyBody().length(), busyBody())
            .getBytes(StandardCharsets.US_ASCII);

    private final Http1ConnectionSelector http1 = Http1ConnectionSelector.builder().config(Http1Config.create()).build();
    private final ListenerLimits limits;
    private final ConnectionWatchdog watchdog;
    private final MalformedRequestLog log;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Counter shed;
    /** Connections past the caps let in for the operations and admin routes, so that a storm can be watched and steered. */
    private final AtomicInteger reserveInUse = new AtomicInteger();
    static final int OPS_RESERVE = 32;

    private final boolean behindProxy;
    private final AdmissionGate gate;

    /** @param behindProxy the peers are proxies ({@code server.real_ip_header} is set): no cap per peer address */
    GuardedHttp1(ListenerLimits limits, boolean behindProxy, ConnectionWatchdog watchdog, MalformedRequestLog log,
                 MeterRegistry metrics) {
        this.limits = limits;
        this.behindProxy = behindProxy;
        this.watchdog = watchdog;
        this.log = log;
        this.gate = new AdmissionGate(limits.maxActiveRequests());
        metrics.gauge("portcullis.requests.waiting", gate, AdmissionGate::waiting);
        metrics.gauge("portcullis.requests.active", gate, AdmissionGate::inProgress);
        this.shed = Counter.builder("portcullis.connections.shed")
                .description("Connections answered 503 because a connection cap was reached").register(metrics);
        metrics.gauge("portcullis.connections.open", open);
    }

    private static String busyBody() {
        return "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"too many connections, retry shortly\"}]}";
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        return Support.SUPPORTED; // the only protocol of the listener: whatever is not HTTP/1.x gets a 400
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return Set.of("http/1.1");
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        HelidonSocket socket = ctx.serverSocket();
        InetAddress address = address(ctx.remotePeer());
        RequestFraming framing = new RequestFraming(limits.maxBody());
        GuardedStream stream = new GuardedStream(socket, ctx.dataReader(), framing,
                address == null ? "?" : address.getHostAddress(), log, gate);
        AtomicInteger mine = address == null ? new AtomicInteger() : perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        int all = open.incrementAndGet();
        int fromAddress = mine.incrementAndGet();
        // A proxy in front speaks for many clients from one address: the per-address cap would cap them all.
        boolean capped = address != null && !behindProxy && (limits.limitLoopback() || !address.isLoopbackAddress());
        Runnable release = () -> {
            open.decrementAndGet();
            if (mine.decrementAndGet() == 0 && address != null) {
                perAddress.remove(address, mine);
            }
        };
        watchdog.add(stream);
        Runnable done = () -> {
            stream.leaveGate();
            watchdog.remove(stream);
            release.run();
        };
        if (all > limits.maxConnections() || (capped && fromAddress > limits.maxConnectionsPerAddress())) {
            return new OverCap(ctx, stream, done);
        }
        return new Counted(http1.connection(new Guarded(ctx, DataReader.create(stream))), stream, limits.maxBody() * 2, done);
    }

    /** The routes still served past the caps: health, readiness, metrics and the admin API. */
    static boolean isOpsRequest(byte[] head) {
        int sp = 0;
        while (sp < head.length && head[sp] != ' ') {
            sp++;
        }
        if (sp >= head.length) {
            return false; // not a request line: the rest of a body, say
        }
        String start = new String(head, sp + 1, Math.max(0, Math.min(head.length - sp - 1, 16)), StandardCharsets.US_ASCII);
        return start.startsWith("/healthz ") || start.startsWith("/healthz?") || start.startsWith("/readyz ")
                || start.startsWith("/readyz?") || start.startsWith("/metrics ") || start.startsWith("/metrics?")
                || start.startsWith("/api/");
    }

    /**
     * A connection over a cap: its first head is read (so that closing does not reset the answer away);
     * an operations or admin request is served from a small reserve, anything else answered 503.
     */
    private final class OverCap implements ServerConnection {
        private final ConnectionContext ctx;
        private final GuardedStream stream;
        private final Runnable done;

        OverCap(ConnectionContext ctx, GuardedStream stream, Runnable done) {
            this.ctx = ctx;
            this.stream = stream;
            this.done = done;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                byte[] head = stream.firstHead();
                if (head == null) {
                    return;
                }
                if (isOpsRequest(head) && reserveInUse.incrementAndGet() <= OPS_RESERVE) {
                    try {
                        http1.connection(new Guarded(ctx, DataReader.create(stream))).handle(limit);
                    } finally {
                        reserveInUse.decrementAndGet();
                    }
                    return;
                }
                if (isOpsRequest(head)) {
                    reserveInUse.decrementAndGet();
                }
                shed.increment();
                ctx.dataWriter().writeNow(BufferData.create(BUSY));
            } catch (RuntimeException e) {
                // the client went away or sent garbage: nothing to answer
            } finally {
                done.run();
            }
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            ctx.serverSocket().close();
        }
    }

    private static InetAddress address(PeerInfo peer) {
        return peer.address() instanceof InetSocketAddress isa ? isa.getAddress() : null;
    }

    /** Helidon's connection, with a refused body drained and the caps released when it ends. */
    private record Counted(ServerConnection inner, GuardedStream stream, long maxDrain, Runnable release)
            implements ServerConnection {
        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                inner.handle(limit);
                stream.drainRefusedBody(maxDrain);
            } finally {
                release.run();
            }
        }

        @Override
        public Duration idleTime() {
            return inner.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            inner.close(interrupt);
        }
    }

    /** The connection's context with the guarded reader in place of the socket's. */
    private record Guarded(ConnectionContext ctx, DataReader reader) implements ConnectionContext {
        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
