package dev.portcullis.config;

/**
 * A listening address as configured, {@code host:port} ({@code [::1]:443} for IPv6): the host as
 * written, empty for every address, and the port 0..65535 (0: any free one).
 */
public record HostPort(String host, int port) {
    public HostPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port outside 0..65535");
        }
    }

    /** Reads {@code value}, the value of {@code key} in {@code s}; a bad one is an error naming the key and line. */
    public static HostPort parse(ConfigSection s, String key, String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw s.error(key, "must be host:port, not '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw s.error(key, "has a port that is not a number: '" + value + "'");
        }
        if (port < 0 || port > 65535) {
            throw s.error(key, "has a port outside 0..65535: '" + value + "'");
        }
        return new HostPort(host, port);
    }
}
