package dev.portcullis.server;

import dev.portcullis.config.ConfigSection;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code server} section, docker_auth's keys unchanged: where to listen, the path prefix, TLS and
 * the header that carries the client address behind a proxy; plus {@code public_url}, the URL
 * registries and clients reach this server at (behind a proxy, or listening on every address).
 *
 * @param realIpPos which entry of a comma-separated {@code realIpHeader} is the client: -1 the last
 *                  (the address the nearest proxy saw), 0 the first
 */
record ServerSettings(String host, int port, Optional<Path> unixSocket, String pathPrefix, Optional<Path> certificate,
                             Optional<Path> key, String tlsMinVersion, boolean hsts,
                             Optional<String> realIpHeader, int realIpPos, ListenerLimits limits, Optional<String> publicUrl) {
    private static final Set<String> DOCKER_AUTH_KEYS = Set.of("addr", "net", "path_prefix", "certificate", "key",
            "tls_min_version", "hsts", "real_ip_header", "real_ip_pos", "letsencrypt", "public_url");

    /** Reads the section; {@code addr} defaults to 127.0.0.1:5001 so that a first start is not exposed. */
    public static ServerSettings from(ConfigSection s) {
        java.util.Set<String> known = new java.util.HashSet<>(DOCKER_AUTH_KEYS);
        known.addAll(ListenerLimits.KEYS);
        s.rejectUnknown(known);
        if (s.has("letsencrypt")) {
            throw s.error("letsencrypt", "is not supported: terminate TLS with server.certificate and server.key");
        }
        String net = s.string("net", "tcp");
        if (!net.equals("tcp") && !net.equals("unix")) {
            throw s.error("net", "must be tcp or unix, not '" + net + "'");
        }
        String addr = s.string("addr", "127.0.0.1:5001");
        Optional<Path> unix = Optional.empty();
        if (net.equals("unix")) {
            if (addr.isBlank() || !addr.contains("/")) {
                throw s.error("addr", "must be a socket path with net: unix, e.g. /run/portcullis/auth.sock");
            }
            unix = Optional.of(Path.of(addr));
            addr = "127.0.0.1:0"; // the HTTP listener the socket relays to, reachable from this host only
        }
        dev.portcullis.config.HostPort hostPort = dev.portcullis.config.HostPort.parse(s, "addr", addr);
        String host = hostPort.host();
        int port = hostPort.port();
        String prefix = s.string("path_prefix", "");
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw s.error("path_prefix", "must start with '/' and not end with one, e.g. /docker_auth");
        }
        Optional<Path> cert = s.readableFile("certificate");
        Optional<Path> key = s.readableFile("key");
        if (cert.isPresent() != key.isPresent()) {
            throw s.error(cert.isPresent() ? "certificate" : "key", "needs both server.certificate and server.key");
        }
        String tls = s.string("tls_min_version", "TLS12");
        if (!tls.equals("TLS12") && !tls.equals("TLS13")) {
            throw s.error("tls_min_version", "must be TLS12 or TLS13 (older versions are refused), not '" + tls + "'");
        }
        int pos = s.integer("real_ip_pos", 0, -100, 100);
        return new ServerSettings(host.isEmpty() ? "0.0.0.0" : host, port, unix, prefix, cert, key, tls,
                s.bool("hsts", false), s.string("real_ip_header").filter(h -> !h.isBlank()), pos, ListenerLimits.from(s),
                publicUrl(s));
    }

    // An absolute http(s) URL without query or fragment, kept without its trailing slashes.
    private static Optional<String> publicUrl(ConfigSection s) {
        Optional<String> given = s.string("public_url").map(String::strip).filter(u -> !u.isEmpty());
        if (given.isEmpty()) {
            return given;
        }
        String url = given.get().replaceAll("/+$", "");
        try {
            java.net.URI u = new java.net.URI(url);
            if ((u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https"))) && u.getHost() != null
                    && u.getRawQuery() == null && u.getRawFragment() == null && u.getRawUserInfo() == null) {
                return Optional.of(url);
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw s.error("public_url", "must be an http:// or https:// URL without user, query or fragment, e.g. "
                + "https://auth.example.com, not '" + given.get() + "'");
    }

    /** Whether the listener takes connections on every address of the host (0.0.0.0 or ::). */
    boolean listensEverywhere() {
        return unixSocket.isEmpty() && (host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0"));
    }

    public boolean isTls() {
        return certificate.isPresent();
    }
}
