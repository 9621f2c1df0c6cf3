package dev.portcullis.server;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.FileAuditLog;
import dev.portcullis.audit.JdbcAuditLog;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.ChangeFollower;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import dev.portcullis.attest.AttestationStore;
import dev.portcullis.policy.DecisionState;
import dev.portcullis.policy.PolicyService;
import dev.portcullis.policy.PolicyStore;
import dev.portcullis.registryauth.RegistryAuth;
import dev.portcullis.registryauth.SigningKeys;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The {@code serve} control plane: reads the configuration once, opens the store and the audit log,
 * builds each capability and mounts its routes. Holds no decisions.
 */
public final class Application implements AutoCloseable {
    /** Top-level sections of Portcullis's own, beside docker_auth's. */
    static final Set<String> OWN_SECTIONS = Set.of("data_dir", "store", "server", "api");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpServer http;
    private final RegistryAuth registryAuth;
    private final ServerSettings serverSettings;
    private final Path dataDir;
    private Path adminTokenFile;

    private Application(ConfigDocument config, Clock clock) {
        ConfigSection root = config.root();
        Path dataDir = Path.of(root.string("data_dir", "data"));
        Set<String> known = new HashSet<>(OWN_SECTIONS);
        known.addAll(RegistryAuth.SECTIONS);
        known.addAll(RegistryAuth.UNSUPPORTED);
        root.rejectUnknown(known);
        ServerSettings serverSettings = ServerSettings.from(root.section("server"));
        StoreSettings storeSettings = StoreSettings.from(root.section("store"), dataDir);
        // Created only once the configuration has been read without error: a typo leaves nothing behind.
        try {
            DataDirectory.create(dataDir);
        } catch (IOException e) {
            throw new ConfigException(root.locationOf("data_dir") + ": cannot create data_dir " + dataDir + ": "
                    + e.getMessage(), e);
        }
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        ApiSettings api = ApiSettings.from(root.section("api"), dataDir);
        this.adminTokenFile = api.tokenFile();
        this.serverSettings = serverSettings;
        this.dataDir = dataDir;
        // The listener starts while the store opens (the two take about the same time); until the
        // services are wired, every route but /healthz answers 503 and /readyz says not ready.
        Wired wired = new Wired();
        ClientAddress clientAddress = new ClientAddress(serverSettings.realIpHeader(), serverSettings.realIpPos());
        TokenRoutes tokens = new TokenRoutes(() -> wired.registryAuth.service(), () -> wired.registryAuth.signer(),
                clientAddress, () -> "Portcullis", metrics);
        PolicyApiRoutes apiRoutes = new PolicyApiRoutes(() -> wired.attestations, () -> wired.policy, api.adminToken());
        AccountApiRoutes accountRoutes = new AccountApiRoutes(() -> wired.registryAuth.service(), clientAddress, api.adminToken());
        CompletableFuture<HttpServer> listener = CompletableFuture.supplyAsync(() -> HttpServer.start(serverSettings, metrics, routing -> {
            if (serverSettings.hsts() && serverSettings.isTls()) {
                routing.addFilter((chain, req, res) -> {
                    res.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
                    chain.proceed();
                });
            }
            routing.addFilter((chain, req, res) -> {
                if (wired.ready || req.path().path().equals("/healthz") || req.path().path().equals("/readyz")) {
                    chain.proceed();
                } else {
                    TokenRoutes.error(res, io.helidon.http.Status.SERVICE_UNAVAILABLE_503, "UNAVAILABLE", null, "starting");
                }
            });
            OpsRoutes.register(routing, metrics, () -> wired.ready && wired.database.isReachable(),
                    () -> java.util.Optional.ofNullable(wired.feed).map(ChangeFeed::status), clock);
            tokens.register(routing, serverSettings.pathPrefix());
            apiRoutes.register(routing);
            accountRoutes.register(routing);
        }), Executors.newVirtualThreadPerTaskExecutor());
        try {
            Database database = track(Database.open(storeSettings));
            wired.database = database;
            AuditLog audit = track(storeSettings.isEmbeddedFile()
                    ? FileAuditLog.open(dataDir.resolve("audit"), dataDir.resolve("audit-journal"))
                    : new JdbcAuditLog(database));
            this.registryAuth = RegistryAuth.from(root, dataDir, database, audit, clock);
            wired.registryAuth = registryAuth;
            // Opened before the state is loaded: the feed then replays whatever commits while it loads.
            ChangeFeed feed = ChangeFeed.open(database, clock);
            DecisionState decisions = new DecisionState();
            wired.attestations = new AttestationStore(database, clock, feed, decisions.attestations());
            wired.policy = new PolicyService(new PolicyStore(database, clock, feed, decisions), audit, clock);
            track(ChangeFollower.start(feed));
            wired.feed = feed;
            this.http = track(join(listener));
            restrict(root, dataDir);
            wired.ready = true;
        } catch (RuntimeException e) {
            listener.thenAccept(HttpServer::close);
            close();
            throw e;
        }
    }

    // Once everything in data_dir has been created: the store, the keys and the audit log files.
    private static void restrict(ConfigSection root, Path dataDir) {
        try {
            DataDirectory.restrict(dataDir);
        } catch (IOException e) {
            throw new ConfigException(root.locationOf("data_dir") + ": cannot make data_dir " + dataDir
                    + " readable by its owner only: " + e.getMessage(), e);
        }
    }

    /** What the routes reach once the start has built it; written once, before {@code ready}. */
    private static final class Wired {
        volatile Database database;
        volatile RegistryAuth registryAuth;
        volatile AttestationStore attestations;
        volatile PolicyService policy;
        volatile ChangeFeed feed;
        volatile boolean ready;
    }

    private static HttpServer join(CompletableFuture<HttpServer> listener) {
        try {
            return listener.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The lines to paste into the registry's configuration so that it trusts this token authority. */
    public String registrySnippet() {
        String scheme = serverSettings.isTls() ? "https" : "http";
        String host = serverSettings.host().equals("0.0.0.0") ? "127.0.0.1" : serverSettings.host();
        Path bundle = registryAuth.tokenSettings().certificate()
                .orElse(dataDir.resolve(SigningKeys.GENERATED_CERT)).toAbsolutePath();
        String realm = serverSettings.unixSocket().isPresent()
                ? "https://<the address your proxy serves for unix:" + serverSettings.unixSocket().get() + ">"
                        + serverSettings.pathPrefix() + "/auth"
                : scheme + "://" + host + ":" + port() + serverSettings.pathPrefix() + "/auth";
        return "auth:\n  token:\n"
                + "    realm: \"" + realm + "\"\n"
                + "    service: \"registry.local\"   # any name; clients send it back as ?service=\n"
                + "    issuer: \"" + registryAuth.tokenSettings().issuer() + "\"\n"
                + "    rootcertbundle: \"" + bundle + "\"\n";
    }

    /** What this process may hold, for the start line: the heap the JVM chose and the listener's caps. */
    public String capacity() {
        ListenerLimits l = serverSettings.limits();
        return String.format("JVM heap up to %,d MB, %d processors; at most %,d connections (%,d per address), "
                        + "head/body/idle timeouts %ds/%ds/%ds",
                Runtime.getRuntime().maxMemory() / (1024 * 1024), Runtime.getRuntime().availableProcessors(),
                l.maxConnections(), l.maxConnectionsPerAddress(), l.headerTimeout().toSeconds(),
                l.bodyTimeout().toSeconds(), l.idleTimeout().toSeconds());
    }

    /** Where the generated admin API token is, when none was configured. */
    public java.util.Optional<Path> adminTokenFile() {
        return java.util.Optional.ofNullable(adminTokenFile);
    }

    /** Warnings a newcomer should see at start, e.g. that nobody can log in yet. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        if (!registryAuth.hasAuthenticators()) {
            out.add("no users, ext_auth or ldap_auth configured: every login is refused");
        }
        if (!registryAuth.hasAuthorizers()) {
            out.add("no acl, ext_authz or http_authz configured: every scope is denied");
        }
        return out;
    }

    /** Builds and starts everything; on a failure, whatever was opened is closed again. */
    public static Application start(ConfigDocument config, Clock clock) {
        return new Application(config, clock);
    }

    public int port() {
        return http.port();
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(0, resource);
        return resource;
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                System.getLogger(Application.class.getName()).log(System.Logger.Level.WARNING,
                        "closing " + r.getClass().getSimpleName() + " failed: " + e.getMessage());
            }
        }
    }
}
