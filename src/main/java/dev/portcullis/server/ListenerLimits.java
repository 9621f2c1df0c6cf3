package dev.portcullis.server;

import dev.portcullis.config.ConfigSection;
import java.time.Duration;
import java.util.Set;

/**
 * What one listener allows a client: read deadlines, connection caps, the largest body. Read from the
 * {@code server} section (keys of Portcullis's own beside docker_auth's), frozen at start.
 *
 * @param headerTimeout           the longest a request head may take to arrive, from its first byte
 * @param bodyTimeout             the longest a request body may take to arrive, from its head
 * @param idleTimeout             how long a keep-alive connection may wait for its next request
 * @param maxConnections          open connections at most; more are answered 503 and closed
 * @param maxConnectionsPerAddress open connections per client address at most (loopback exempt unless
 *                                {@code limitLoopback}: a proxy on the same host speaks for many clients)
 * @param maxBody                 the largest request body, in bytes
 * @param maxConcurrentRequests   requests being answered at once at most (0: no limit beyond the connections)
 * @param maxActiveRequests       requests read and worked on at once; one past it waits unread, in arrival
 *                                order (0: no queue)
 */
record ListenerLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
                      int maxConnectionsPerAddress, boolean limitLoopback, long maxBody, int maxConcurrentRequests,
                      int maxActiveRequests) {
    static final Set<String> KEYS = Set.of("header_timeout", "body_timeout", "idle_timeout", "max_connections",
            "max_connections_per_address", "limit_loopback", "max_concurrent_requests",
            "max_active_requests");
    /** Heap an open connection may take, with room for its request: an idle one holds about 18 KiB (bench/token/idle.sh). */
    static final long HEAP_PER_CONNECTION = 24 * 1024;
    /**
     * Requests worked on at once by default: many more than the cores, for handlers that wait on a store
     * or an external authorizer, few enough that a storm's requests wait in their sockets.
     */
    static final int DEFAULT_ACTIVE_REQUESTS = 256;
    /** The listener's body limit, the same for Helidon and for {@link RequestFraming}. */
    static final long MAX_BODY = 8L * 1024 * 1024;

    ListenerLimits {
        for (Duration d : new Duration[] {headerTimeout, bodyTimeout, idleTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
        if (maxConnections < 1 || maxConnectionsPerAddress < 1 || maxBody < 1 || maxConcurrentRequests < 0
                || maxActiveRequests < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * The defaults: nginx's spirit (a slow client is cut off), and as many connections as 60 % of the heap
     * holds (at most 20,000), so that a storm past that is answered 503 rather than exhausting memory.
     */
    static ListenerLimits defaults() {
        return new ListenerLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(75),
                connectionsFor(Runtime.getRuntime().maxMemory()), 1_000, false, MAX_BODY, 0, DEFAULT_ACTIVE_REQUESTS);
    }

    /** The default connection cap for a heap of {@code maxHeap} bytes. */
    static int connectionsFor(long maxHeap) {
        return (int) Math.max(256, Math.min(20_000, maxHeap * 6 / 10 / HEAP_PER_CONNECTION));
    }

    static ListenerLimits from(ConfigSection s) {
        ListenerLimits d = defaults();
        return new ListenerLimits(
                positive(s, "header_timeout", d.headerTimeout()),
                positive(s, "body_timeout", d.bodyTimeout()),
                positive(s, "idle_timeout", d.idleTimeout()),
                s.integer("max_connections", d.maxConnections(), 1, 1_000_000),
                s.integer("max_connections_per_address", d.maxConnectionsPerAddress(), 1, 1_000_000),
                s.bool("limit_loopback", false),
                MAX_BODY,
                s.integer("max_concurrent_requests", 0, 0, 1_000_000),
                s.integer("max_active_requests", d.maxActiveRequests(), 0, 1_000_000));
    }

    private static Duration positive(ConfigSection s, String key, Duration defaultValue) {
        Duration d = s.duration(key, defaultValue);
        if (d.isZero() || d.isNegative()) {
            throw s.error(key, "must be longer than zero");
        }
        return d;
    }
}
