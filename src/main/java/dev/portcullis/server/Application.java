package dev.portcullis.server;

import dev.portcullis.attest.AttestationStore;
import dev.portcullis.policy.AttestationPolicy;
import dev.portcullis.admin.AdminTokens;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditSettings;
import dev.portcullis.audit.CoalescingAuditLog;
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
import dev.portcullis.platform.BackgroundWork;
import dev.portcullis.platform.Module;
import dev.portcullis.platform.StartContext;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.ChangeFollower;
import dev.portcullis.store.FeedStatus;
import dev.portcullis.registryauth.RegistryAuth;
import dev.portcullis.registryauth.SigningKeys;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.helidon.webserver.http.HttpService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The {@code serve} control plane: reads the configuration once, opens the store and the audit log,
 * starts each capability of {@link Capabilities} in order and mounts its routes. Holds no decisions
 * and no capability's code: a new capability is an entry in that list.
 */
public final class Application implements AutoCloseable {
    /** Top-level sections of Portcullis's own, beside the capabilities'. */
    static final Set<String> OWN_SECTIONS = Set.of("data_dir", "store", "server", "api", "audit");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Slot<?, ?>> slots;
    private final List<Module> modules = new ArrayList<>();
    private final HttpServer http;
    private final ServerSettings serverSettings;
    private final AdmissionListener admissionListener;
    private final Path dataDir;
    private Path adminTokenFile;
    private volatile Database database;
    private volatile AuditLog audit;
    private volatile AdminTokens adminTokens;
    private volatile ChangeFeed feed;
    private final Clock clock;
    private volatile boolean ready;

    private Application(ConfigDocument config, Clock clock, List<Mounted<?, ?>> capabilities) {
        this.clock = clock;
        ConfigSection root = config.root();
        Path dataDir = Path.of(root.string("data_dir", "data"));
        this.slots = capabilities.stream().<Slot<?, ?>>map(Slot::new).toList();
        root.rejectUnknown(knownSections(slots));
        ServerSettings serverSettings = ServerSettings.from(root.section("server"));
        StoreSettings storeSettings = StoreSettings.from(root.section("store"), dataDir);
        AuditSettings auditSettings = AuditSettings.from(root.section("audit"));
        for (Slot<?, ?> slot : slots) {
            slot.readSettings(root, dataDir);
        }
        // The webhook's own listener, its certificate files read now: a bad one stops the start with its key and line.
        this.admissionListener = ((dev.portcullis.admission.AdmissionSettings) admissionSlot(slots).settings()).listener()
                .map(l -> AdmissionListener.open(root.section("admission"), l, () -> audit, clock)).orElse(null);
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
        ServerMetrics.registerAtZero(metrics);
        // Read when scraped: 1 while new attestations are refused for memory, and the batches refused so far.
        io.micrometer.core.instrument.Gauge.builder("portcullis_attestations_refusing", this,
                a -> a.attestations().map(st -> st.refusal().isPresent() ? 1.0 : 0.0).orElse(0.0)).register(metrics);
        io.micrometer.core.instrument.FunctionCounter.builder("portcullis_attestations_refused_batches", this,
                a -> a.attestations().map(st -> (double) st.refusedBatches()).orElse(0.0)).register(metrics);
        ApiSettings api = ApiSettings.from(root.section("api"), dataDir);
        this.adminTokenFile = api.tokenFile();
        this.serverSettings = serverSettings;
        this.dataDir = dataDir;
        // The listener starts while the store opens (the two take about the same time); until the
        // capabilities are started, every route but /healthz answers 503 and /readyz says not ready.
        ClientAddress clientAddress = new ClientAddress(serverSettings.realIpHeader(), serverSettings.realIpPos());
        AdminApi admin = new AdminApi(new AdminBearer(api.adminToken(), () -> adminTokens), clientAddress, () -> audit, clock);
        RouteContext routes = new RouteContext(clientAddress, metrics, admin, serverSettings.pathPrefix());
        Optional<HttpServer.Socket> admissionSocket = Optional.ofNullable(admissionListener).map(l -> new HttpServer.Socket(
                AdmissionListener.SOCKET, l.settings().host(), l.settings().port(), l.helidonTls(), routing -> {
                    ErrorAnswers.register(routing, metrics);
                    Slot<?, ?> slot = admissionSlot(slots);
                    routing.register(new AdmissionRoutes(() -> (dev.portcullis.admission.Admission) slot.module(), metrics, true));
                }));
        CompletableFuture<HttpServer> listener = CompletableFuture.supplyAsync(() -> HttpServer.start(serverSettings, metrics, routing -> {
            if (serverSettings.hsts() && serverSettings.isTls()) {
                routing.addFilter((chain, req, res) -> {
                    res.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
                    chain.proceed();
                });
            }
            routing.addFilter((chain, req, res) -> {
                // The admission webhook answers while starting too: a denial that says why, not a bare 503.
                if (ready || req.path().path().equals("/healthz") || req.path().path().equals("/readyz")
                        || req.path().path().equals(AdmissionRoutes.VALIDATE)) {
                    chain.proceed();
                } else {
                    JsonAnswer.registryError(res, io.helidon.http.Status.SERVICE_UNAVAILABLE_503, "UNAVAILABLE", null, "starting");
                }
            });
            ErrorAnswers.register(routing, metrics);
            routing.register(new OpsRoutes(metrics, this::notReady, this::readinessDetails));
            // The admin API's own tokens: the platform's, beside the capabilities' routes.
            routing.register(new AdminTokenRoutes(() -> adminTokens, admin));
            for (Slot<?, ?> slot : slots) {
                routing.register(slot.services(routes).toArray(HttpService[]::new));
            }
        }, admissionSocket), Executors.newVirtualThreadPerTaskExecutor());
        try {
            List<String> migrations = slots.stream().flatMap(s -> s.migrations().stream()).toList();
            this.database = track(Database.open(storeSettings, migrations,
                    slots.stream().flatMap(s -> s.codeMigrations().stream()).toList()));
            this.adminTokens = new AdminTokens(database, clock);
            // Opened before any capability loads its state: the feed then replays whatever commits meanwhile.
            this.feed = ChangeFeed.open(database, clock);
            AuditLog audit = track(CoalescingAuditLog.wrap(storeSettings.isEmbeddedFile()
                    ? FileAuditLog.open(dataDir.resolve("audit"), dataDir.resolve("audit-journal"), auditSettings, clock)
                    : new JdbcAuditLog(database, auditSettings, clock), auditSettings.repeatWindow(), clock));
            this.audit = audit;
            for (Slot<?, ?> slot : slots) {
                modules.add(track(slot.start(new StartContext(dataDir, database, feed, audit, clock, modules))));
            }
            for (Module m : modules) {
                for (BackgroundWork work : m.background()) {
                    work.start();
                    track(work::stop);
                }
            }
            // Changes made through other replicas (PostgreSQL LISTEN/NOTIFY, with catch-up after a missed one).
            track(ChangeFollower.start(feed));
            // Every capability has read its settings now: a PORTCULLIS_* variable none of them knows is a typo.
            config.rejectUnknownEnvironment();
            this.http = track(join(listener, root));
            if (admissionListener != null) {
                track(admissionListener).startReloading();
            }
            restrict(root, dataDir);
            ready = true;
        } catch (RuntimeException e) {
            listener.thenAccept(HttpServer::close);
            close();
            // A start that failed half-way (a certificate it cannot read, a port in use) has already
            // made the store and the keys: they are the owner's only all the same.
            try {
                DataDirectory.restrict(dataDir);
            } catch (IOException | RuntimeException ignored) {
                // the start's own error is the one to report
            }
            throw e;
        }
    }

    // Every section a capability or the platform reads; two capabilities may not claim the same one.
    private static Set<String> knownSections(List<Slot<?, ?>> slots) {
        Set<String> known = new HashSet<>(OWN_SECTIONS);
        for (Slot<?, ?> slot : slots) {
            for (String section : slot.sections()) {
                if (!known.add(section)) {
                    throw new IllegalStateException("capability " + slot.name() + " claims the section '" + section
                            + "', which another one reads");
                }
            }
        }
        return known;
    }

    /**
     * Why {@code /readyz} says not ready, per part: the store, the audit log (a decision whose record
     * cannot be written does not take effect, so a load balancer should send clients to a replica
     * whose log can), each capability by name; empty when ready.
     */
    /** What /readyz tells beside the problems: how far behind the change feed this replica is. */
    private Map<String, String> readinessDetails() {
        Map<String, String> details = new LinkedHashMap<>();
        // Still ready: decisions go on while new attestations are refused, so this is told, not failed.
        attestations().flatMap(AttestationStore::refusal).ifPresent(why -> details.put("attestations",
                "refusing new attestations: " + why));
        if (ready) {
            modules.forEach(m -> details.putAll(m.details()));
        }
        ChangeFeed f = feed;
        if (f == null) {
            return details;
        }
        FeedStatus st = f.status();
        long sinceMillis = Math.max(0, java.time.Duration.between(st.lastCatchUp(), clock.instant()).toMillis());
        details.put("change_feed", String.format(java.util.Locale.ROOT,
                "applied=%d newest=%d behind=%d seconds_since_catch_up=%.1f", st.applied(), st.newestSeen(), st.behind(),
                sinceMillis / 1000.0));
        return details;
    }

    // The attestation store once the capabilities are started, if one of them has it.
    private Optional<AttestationStore> attestations() {
        if (!ready) {
            return Optional.empty();
        }
        return modules.stream().filter(AttestationPolicy.class::isInstance).map(m -> ((AttestationPolicy) m).attestations()).findFirst();
    }

    private Map<String, String> notReady() {
        Map<String, String> why = new LinkedHashMap<>();
        if (!ready || !database.isReachable()) {
            why.put("store", "starting or does not answer");
        }
        ChangeFeed f = feed;
        if (f != null && !f.status().reachable()) {
            // The cause (an address, a driver's message) is in the server's log, not on this unauthenticated route.
            why.put("change_feed_problem", "the change feed cannot reach the store");
        }
        AuditLog log = audit;
        if (log != null) {
            log.health().ifPresent(problem -> why.put("audit", problem));
        }
        if (!ready) {
            return why;
        }
        for (int i = 0; i < modules.size(); i++) {
            String name = slots.get(i).name();
            if (!modules.get(i).ready()) {
                why.put(name, name + " is not ready");
                continue;
            }
            for (BackgroundWork work : modules.get(i).background()) {
                BackgroundWork.Health h = work.health();
                if (!h.healthy()) {
                    why.put(name, name + " " + work.name() + ": " + h.detail());
                    break;
                }
            }
        }
        return why;
    }

    private <M extends Module> M module(Class<M> type) {
        return modules.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
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

    // The admission capability's slot: its settings say whether the webhook has a listener of its own.
    private static Slot<?, ?> admissionSlot(List<Slot<?, ?>> slots) {
        return slots.stream().filter(s -> s.settings() instanceof dev.portcullis.admission.AdmissionSettings).findFirst()
                .orElseThrow();
    }

    private static HttpServer join(CompletableFuture<HttpServer> listener, ConfigSection root) {
        try {
            return listener.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof HttpServer.CannotListenException c) {
                throw root.section(c.socket().equals(AdmissionListener.SOCKET) ? "admission" : "server").error("addr", c.getMessage());
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** The lines to paste into the registry's configuration so that it trusts this token authority. */
    public String registrySnippet() {
        String scheme = serverSettings.isTls() ? "https" : "http";
        String host = serverSettings.listensEverywhere() ? "127.0.0.1" : serverSettings.host();
        RegistryAuth registryAuth = module(RegistryAuth.class);
        Path bundle = registryAuth.tokenSettings().certificate()
                .orElse(dataDir.resolve(SigningKeys.GENERATED_CERT)).toAbsolutePath();
        String realm = serverSettings.publicUrl().isPresent() ? serverSettings.publicUrl().get() + serverSettings.pathPrefix() + "/auth"
                : serverSettings.unixSocket().isPresent()
                ? "https://<the address your proxy serves for unix:" + serverSettings.unixSocket().get() + ">"
                        + serverSettings.pathPrefix() + "/auth"
                : scheme + "://" + host + ":" + port() + serverSettings.pathPrefix() + "/auth";
        return "auth:\n  token:\n"
                + "    realm: \"" + realm + "\"\n"
                + "    service: \"registry.local\"   # any name; clients send it back as ?service=\n"
                + "    issuer: \"" + registryAuth.tokenSettings().issuer() + "\"\n"
                + "    rootcertbundle: \"" + bundle + "\"\n";
    }

    /**
     * The environment variables that settings of an empty configuration answer to, for {@code serve --help}:
     * every section is read as a start reads it, but nothing is created (the admin token file included).
     */
    public static List<String> settingVariables() {
        ConfigDocument doc = ConfigDocument.empty(Map.of());
        checkSettings(doc);
        return doc.knownVariables();
    }

    /**
     * Reads every section of {@code doc} as a start does, creating nothing: a section or key no start
     * knows, or a bad value, throws as the start would (a shipped configuration file is checked so).
     */
    public static void checkSettings(ConfigDocument doc) {
        ConfigSection root = doc.root();
        Path dataDir = Path.of(root.string("data_dir", "data"));
        root.rejectUnknown(knownSections(Capabilities.all().stream().<Slot<?, ?>>map(Slot::new).toList()));
        ServerSettings.from(root.section("server"));
        StoreSettings.from(root.section("store"), dataDir);
        AuditSettings.from(root.section("audit"));
        root.section("api").string("admin_token");
        for (Mounted<?, ?> m : Capabilities.all()) {
            m.capability().settings(root, dataDir);
        }
    }

    /** What this process may hold, for the start line: the heap the JVM chose and the listener's caps. */
    public String capacity() {
        ListenerLimits l = serverSettings.limits();
        return String.format("JVM heap up to %,d MB, %d processors; at most %,d connections (%,d per address), "
                        + "head/body/idle timeouts %ds/%ds/%ds",
                Runtime.getRuntime().maxMemory() / (1024 * 1024), Runtime.getRuntime().availableProcessors(),
                l.maxConnections(), l.maxConnectionsPerAddress(), l.headerTimeout().toSeconds(),
                l.bodyTimeout().toSeconds(), l.idleTimeout().toSeconds())
                + (admissionListener == null ? "" : "; " + admissionListener.describe(admissionPort().orElseThrow()));
    }

    /** The port of the admission webhook's own TLS listener, when {@code admission.addr} is set. */
    public java.util.OptionalInt admissionPort() {
        return admissionListener == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(http.port(AdmissionListener.SOCKET));
    }

    /** Where the generated admin API token is, when none was configured. */
    public Optional<Path> adminTokenFile() {
        return Optional.ofNullable(adminTokenFile);
    }

    /** Warnings a newcomer should see at start, e.g. that nobody can log in yet. */
    public List<String> warnings() {
        List<String> out = new java.util.ArrayList<>();
        if (serverSettings.listensEverywhere() && serverSettings.publicUrl().isEmpty()) {
            // The realm a registry hands its clients must be an address they reach: 127.0.0.1 is only this host.
            out.add("listening on every address (" + serverSettings.host() + ") without server.public_url: the realm below "
                    + "says 127.0.0.1, which only this host reaches; set server.public_url (PORTCULLIS_SERVER_PUBLIC_URL) to the "
                    + "URL registries and clients reach this server at, e.g. https://auth.example.com");
        }
        modules.stream().flatMap(m -> m.warnings().stream()).forEach(out::add);
        return out;
    }

    /** Builds and starts everything; on a failure, whatever was opened is closed again. */
    public static Application start(ConfigDocument config, Clock clock) {
        return start(config, clock, Capabilities.all());
    }

    /** As {@link #start(ConfigDocument, Clock)}, with these capabilities in this order. */
    static Application start(ConfigDocument config, Clock clock, List<Mounted<?, ?>> capabilities) {
        return new Application(config, clock, capabilities);
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
