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
 */
record ListenerLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
                      int maxConnectionsPerAddress, boolean limitLoopback, long maxBody) {
    static final Set<String> KEYS = Set.of("header_timeout", "body_timeout", "idle_timeout", "max_connections",
            "max_connections_per_address", "limit_loopback");
    /** The listener's body limit, the same for Helidon and for {@link RequestFraming}. */
    static final long MAX_BODY = 8L * 1024 * 1024;

    ListenerLimits {
        for (Duration d : new Duration[] {headerTimeout, bodyTimeout, idleTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
        if (maxConnections < 1 || maxConnectionsPerAddress < 1 || maxBody < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** The defaults: nginx's spirit (a slow client is cut off), sized for a storm of 10,000 clients. */
    static ListenerLimits defaults() {
        return new ListenerLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(75), 20_000, 1_000,
                false, MAX_BODY);
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
                MAX_BODY);
    }

    private static Duration positive(ConfigSection s, String key, Duration defaultValue) {
        Duration d = s.duration(key, defaultValue);
        if (d.isZero() || d.isNegative()) {
            throw s.error(key, "must be longer than zero");
        }
        return d;
    }
}
