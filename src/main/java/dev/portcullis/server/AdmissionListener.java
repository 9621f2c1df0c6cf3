package dev.portcullis.server;

import dev.portcullis.admission.AdmissionListenerSettings;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.pki.PemException;
import dev.portcullis.pki.ReloadingServerTls;
import dev.portcullis.pki.ServerKeyMaterial;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The TLS of the admission webhook's own listener: the certificate files read at start and again every
 * {@code admission.reload_interval}, as cert-manager rewrites them or a Kubernetes secret mount swaps
 * its {@code ..data} link; a new pair is served to the next handshake, a pair that does not read or
 * match is refused, logged and audited, and the old one stays.
 */
final class AdmissionListener implements AutoCloseable {
    static final String SOCKET = "admission";
    private static final System.Logger LOG = System.getLogger(AdmissionListener.class.getName());
    /**
     * Forward-secret AEAD suites only: TLS 1.3's, then TLS 1.2's ECDHE with AES-GCM or ChaCha20 (what
     * the Kubernetes API server, a Go client, offers first).
     */
    static final List<String> CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final AdmissionListenerSettings settings;
    private final ReloadingServerTls tls;
    private final Supplier<AuditLog> audit;
    private final Clock clock;
    private ScheduledExecutorService poller;

    /** Reads the files now; files that cannot be served are an error naming the key of {@code section} and its line. */
    static AdmissionListener open(ConfigSection section, AdmissionListenerSettings settings, Supplier<AuditLog> audit, Clock clock) {
        try {
            return new AdmissionListener(settings, audit, clock);
        } catch (PemException e) {
            String m = e.getMessage();
            String key = m.startsWith(settings.key().toString()) ? "key"
                    : settings.clientCa().filter(ca -> m.startsWith(ca.toString())).isPresent() ? "client_ca" : "certificate";
            throw section.error(key, "cannot be served: " + m);
        }
    }

    private AdmissionListener(AdmissionListenerSettings settings, Supplier<AuditLog> audit, Clock clock) {
        this.settings = settings;
        this.tls = ReloadingServerTls.open(new ServerKeyMaterial.Files(settings.certificate(), settings.key(),
                settings.clientCa()));
        this.audit = audit;
        this.clock = clock;
    }

    AdmissionListenerSettings settings() {
        return settings;
    }

    /** Helidon's TLS for the socket: the reloading context, TLS 1.2+ (or 1.3 only), client certificates when a CA is set. */
    Tls helidonTls() {
        List<String> supported = Arrays.asList(tls.context().getSupportedSSLParameters().getCipherSuites());
        return Tls.builder()
                .sslContext(tls.context())
                .enabledProtocols(settings.tlsMinVersion().equals("TLS13") ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2"))
                .enabledCipherSuites(CIPHER_SUITES.stream().filter(supported::contains).toList())
                .clientAuth(tls.requiresClientCertificate() ? TlsClientAuth.REQUIRED : TlsClientAuth.NONE)
                .build();
    }

    /** Starts looking at the files every {@code reload_interval}. */
    void startReloading() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "admission-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long millis = settings.reloadInterval().toMillis();
        poller.scheduleWithFixedDelay(this::reloadNow, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One look at the files; what the poller runs. */
    ReloadingServerTls.Outcome reloadNow() {
        ReloadingServerTls.Outcome outcome;
        try {
            outcome = tls.poll();
        } catch (RuntimeException e) {
            outcome = new ReloadingServerTls.Outcome.Refused(e.toString());
        }
        switch (outcome) {
            case ReloadingServerTls.Outcome.Unchanged u -> { }
            case ReloadingServerTls.Outcome.Reloaded r -> {
                LOG.log(System.Logger.Level.INFO, "admission listener: serving the certificate of " + settings.certificate()
                        + " read again: " + r.material());
                record("allow", "serial " + r.material().serial() + ", not after "
                        + r.material().chain().get(0).getNotAfter().toInstant());
            }
            case ReloadingServerTls.Outcome.Refused f -> {
                LOG.log(System.Logger.Level.WARNING, "admission listener: the certificate files changed but cannot be "
                        + "served, keeping serial " + tls.current().serial() + ": " + f.reason());
                record("deny", "kept serial " + tls.current().serial() + ": " + f.reason());
            }
        }
        return outcome;
    }

    // Audited once the log is open; a reload during the start is in the server's log only.
    private void record(String decision, String detail) {
        AuditLog log = audit.get();
        if (log == null) {
            return;
        }
        try {
            log.record(new AuditEvent(clock.instant(), "admission", "tls_reload", "", "", settings.certificate().toString(),
                    decision, "admission.certificate", detail));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "admission listener: cannot audit the certificate reload: " + e.getMessage());
        }
    }

    /** For the start line: where the webhook listens and with which certificate. */
    String describe(int port) {
        return "admission webhook on https://" + settings.host() + ":" + port + AdmissionRoutes.VALIDATE + " (certificate serial "
                + tls.current().serial() + (settings.clientCa().isPresent() ? ", client certificates required" : "") + ")";
    }

    /** What new handshakes get now. */
    ServerKeyMaterial current() {
        return tls.current();
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
