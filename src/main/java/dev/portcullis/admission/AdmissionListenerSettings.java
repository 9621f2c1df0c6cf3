package dev.portcullis.admission;

import dev.portcullis.config.ConfigSection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook's own TLS listener, from the {@code admission} section: where it listens ({@code addr}),
 * its certificate and key ({@code certificate}, {@code key}: PEM files, read again when they change),
 * the CAs a client certificate must chain to ({@code client_ca}: when set, a client without one is
 * refused in the handshake), the lowest TLS version and how often the files are looked at.
 */
public record AdmissionListenerSettings(String host, int port, Path certificate, Path key, Optional<Path> clientCa,
                                        String tlsMinVersion, Duration reloadInterval) {
    /** The keys of the section this record reads. */
    static final Set<String> KEYS = Set.of("addr", "certificate", "key", "client_ca", "tls_min_version", "reload_interval");

    public AdmissionListenerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("admission.addr has a port outside 0..65535");
        }
        if (!tlsMinVersion.equals("TLS12") && !tlsMinVersion.equals("TLS13")) {
            throw new IllegalArgumentException("admission.tls_min_version must be TLS12 or TLS13");
        }
        if (reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException("admission.reload_interval must be longer than zero");
        }
    }

    /** The listener when {@code addr} is set; empty (the webhook stays on the main listener) when not. */
    static Optional<AdmissionListenerSettings> from(ConfigSection s) {
        Optional<String> addr = s.string("addr").map(String::strip).filter(a -> !a.isEmpty());
        if (addr.isEmpty()) {
            for (String key : new String[] {"certificate", "key", "client_ca", "tls_min_version", "reload_interval"}) {
                if (s.string(key).isPresent()) {
                    throw s.error(key, "belongs to the webhook's own listener: set admission.addr too, e.g. 0.0.0.0:8443");
                }
            }
            return Optional.empty();
        }
        dev.portcullis.config.HostPort hostPort = dev.portcullis.config.HostPort.parse(s, "addr", addr.get());
        String host = hostPort.host();
        int port = hostPort.port();
        Optional<Path> cert = s.readableFile("certificate");
        Optional<Path> key = s.readableFile("key");
        if (cert.isEmpty() || key.isEmpty()) {
            throw s.error(cert.isEmpty() ? "certificate" : "key", "is needed: the webhook's listener speaks TLS only "
                    + "(the API server calls webhooks over HTTPS); set admission.certificate and admission.key");
        }
        String tls = s.string("tls_min_version", "TLS12");
        if (!tls.equals("TLS12") && !tls.equals("TLS13")) {
            throw s.error("tls_min_version", "must be TLS12 or TLS13 (older versions are refused), not '" + tls + "'");
        }
        Duration interval = s.duration("reload_interval", Duration.ofSeconds(2));
        if (interval.isZero() || interval.isNegative() || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw s.error("reload_interval", "must be between 1ms and 1h (how often the certificate files are read), not " + interval);
        }
        return Optional.of(new AdmissionListenerSettings(host.isEmpty() ? "0.0.0.0" : host, port, cert.get(), key.get(),
                s.readableFile("client_ca"), tls, interval));
    }
}
