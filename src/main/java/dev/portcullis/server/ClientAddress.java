package dev.portcullis.server;

import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The client's address: the socket peer, or the configured header set by a trusted proxy (docker_auth's real_ip_*). */
final class ClientAddress {
    private final Optional<String> header;
    private final int position;

    ClientAddress(Optional<String> header, int position) {
        this.header = header;
        this.position = position;
    }

    String of(ServerRequest req) {
        if (header.isPresent()) {
            Optional<String> value = req.headers().first(io.helidon.http.HeaderNames.create(header.get()));
            if (value.isPresent()) {
                String[] parts = value.get().split(",");
                int i = position < 0 ? parts.length + position : position;
                if (i >= 0 && i < parts.length) {
                    String ip = parts[i].trim();
                    if (!ip.isEmpty() && ip.length() <= 64 && ip.matches("[0-9a-fA-F:.]+")) {
                        return ip;
                    }
                }
            }
        }
        if (req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null) {
            return a.getAddress().getHostAddress();
        }
        return req.remotePeer().host();
    }
}
