package dev.portcullis.engine;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the guard runs: where it listens, the engine behind it, its TLS files (server certificate and
 * key, the CA client certificates must chain to, the CA's CRL), its rules and its audit directory.
 */
public record GuardSettings(InetSocketAddress listen, Upstream upstream, Path ca, Path cert, Path key, Optional<Path> crl,
                            Optional<Path> rules, Path auditDir, Duration idleTimeout) {
    public GuardSettings {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive");
        }
    }

    /** Reads {@code HOST:PORT} (an IPv6 host in brackets); the message names the option. */
    public static InetSocketAddress listenAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen " + text + ": HOST:PORT expected, e.g. 127.0.0.1:2376");
        }
        String host = text.substring(0, colon).replaceAll("^\\[|\\]$", "");
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen " + text + ": the port must be a number from 0 to 65535");
        }
    }
}
