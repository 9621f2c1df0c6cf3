package dev.portcullis.engine;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.pki.Pem;
import dev.portcullis.pki.PemException;
import dev.portcullis.pki.PkiException;
import dev.portcullis.pki.ReloadingServerTls;
import dev.portcullis.pki.RevocationList;
import dev.portcullis.pki.ServerKeyMaterial;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The Docker Engine API guard: a TLS listener that takes only clients with a certificate of the CA
 * (not revoked), judges each request by its identity's rules and passes what is allowed to the
 * engine. The certificate, key, CA, CRL and rules files are read again every few seconds; a change
 * that does not read keeps what is in force.
 */
public final class EngineGuard implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EngineGuard.class.getName());
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final GuardSettings settings;
    private final ReloadingServerTls tls;
    private final SSLServerSocket server;
    private final Thread acceptor;
    private final Thread poller;
    private volatile EngineRules rules;
    private volatile Optional<RevocationList> crl;
    private String rulesVersion;
    private String crlVersion;
    private volatile boolean closed;

    private EngineGuard(GuardSettings settings, AuditLog audit, Clock clock, BiFunction<String, String, Optional<String>> imageCheck)
            throws IOException {
        this.settings = settings;
        this.tls = ReloadingServerTls.open(new ServerKeyMaterial.Files(settings.cert(), settings.key(), Optional.of(settings.ca())));
        this.rules = settings.rules().map(EngineRules::read).orElseGet(EngineRules::readOnlyForAll);
        this.rulesVersion = settings.rules().map(EngineGuard::version).orElse("");
        this.crl = settings.crl().map(this::readCrl);
        this.crlVersion = settings.crl().map(EngineGuard::version).orElse("");
        SSLServerSocket s = (SSLServerSocket) tls.context().getServerSocketFactory().createServerSocket();
        s.setReuseAddress(true);
        s.setNeedClientAuth(true);
        s.setEnabledProtocols(PROTOCOLS);
        // AEAD suites only: TLS 1.3's, and ECDHE with GCM or ChaCha20 for 1.2.
        s.setEnabledCipherSuites(Arrays.stream(s.getSupportedCipherSuites())
                .filter(c -> c.startsWith("TLS_AES_") || c.startsWith("TLS_CHACHA20_")
                        || c.startsWith("TLS_ECDHE_") && (c.contains("_GCM_") || c.contains("CHACHA20")))
                .toArray(String[]::new));
        s.bind(settings.listen(), 1024);
        this.server = s;
        GuardContext ctx = new GuardContext(settings, () -> rules, () -> crl, audit, clock, imageCheck);
        this.acceptor = Thread.ofPlatform().name("engine-guard-accept").daemon(false).start(() -> accept(ctx));
        this.poller = Thread.ofVirtual().name("engine-guard-reload").start(this::poll);
    }

    /** Starts listening; {@link IllegalArgumentException} or {@link PemException} naming a file that does not read. */
    public static EngineGuard start(GuardSettings settings, AuditLog audit, Clock clock,
                                    BiFunction<String, String, Optional<String>> imageCheck) throws IOException {
        return new EngineGuard(settings, audit, clock, imageCheck);
    }

    /** The address it listens on (the port chosen when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** A line for the start: what is listening, in front of what, with which rules. */
    public String describe() {
        return "engine-guard listening on " + address().getHostString() + ":" + address().getPort() + " for "
                + settings.upstream().text() + ", clients of " + settings.ca() + ", "
                + settings.rules().map(r -> "rules " + r + " (" + rules.identities().size() + " identities)")
                        .orElse("no rules file: every identity read-only")
                + (rules.learning() ? ", LEARNING: what the rules deny is allowed and logged" : "")
                + crl.map(c -> ", CRL with " + c.size() + " revoked").orElse(", no CRL");
    }

    private void accept(GuardContext ctx) {
        while (!closed) {
            try {
                SSLSocket client = (SSLSocket) server.accept();
                Thread.ofVirtual().name("engine-guard-conn").start(new GuardConnection(client, ctx));
            } catch (SocketException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "accept failed: " + e.getMessage());
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "accept failed: " + e.getMessage());
            }
        }
    }

    private void poll() {
        while (!closed) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            }
            switch (tls.poll()) {
                case ReloadingServerTls.Outcome.Reloaded r -> LOG.info("engine-guard: now serving " + r.material());
                case ReloadingServerTls.Outcome.Refused r -> LOG.warning("engine-guard: keeping the TLS files in force: " + r.reason());
                case ReloadingServerTls.Outcome.Unchanged u -> { }
            }
            settings.rules().ifPresent(this::reloadRules);
            settings.crl().ifPresent(this::reloadCrl);
        }
    }

    private void reloadRules(Path file) {
        String v = version(file);
        if (!v.equals(rulesVersion)) {
            rulesVersion = v;
            try {
                rules = EngineRules.read(file);
                LOG.info("engine-guard: rules reloaded from " + file);
            } catch (IllegalArgumentException e) {
                LOG.warning("engine-guard: keeping the rules in force: " + e.getMessage());
            }
        }
    }

    private void reloadCrl(Path file) {
        String v = version(file);
        if (!v.equals(crlVersion)) {
            crlVersion = v;
            try {
                crl = Optional.of(readCrl(file));
                LOG.info("engine-guard: CRL reloaded from " + file + " (" + crl.get().size() + " revoked)");
            } catch (PkiException | PemException e) {
                LOG.warning("engine-guard: keeping the CRL in force: " + e.getMessage());
            }
        }
    }

    private RevocationList readCrl(Path file) {
        return RevocationList.read(file, Pem.readCertificates(settings.ca()));
    }

    private static String version(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return "unreadable";
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        poller.interrupt();
        try {
            acceptor.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
