package dev.portcullis.server;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.JdbcAuditLog;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code serve} control plane: reads the configuration once, opens the store and the audit log,
 * builds each capability and mounts its routes. Holds no decisions.
 */
public final class Application implements AutoCloseable {
    /** Top-level sections of Portcullis's own, beside docker_auth's. */
    static final Set<String> OWN_SECTIONS = Set.of("data_dir", "store");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpServer http;

    private Application(ConfigDocument config, Clock clock) {
        ConfigSection root = config.root();
        Path dataDir = Path.of(root.string("data_dir", "data"));
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new ConfigException(root.locationOf("data_dir") + ": cannot create data_dir " + dataDir + ": "
                    + e.getMessage(), e);
        }
        ServerSettings serverSettings = ServerSettings.from(root.section("server"));
        StoreSettings storeSettings = StoreSettings.from(root.section("store"), dataDir);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Database database = track(Database.open(storeSettings));
        AuditLog audit = track(new JdbcAuditLog(database));
        this.http = HttpServer.start(serverSettings, routing -> {
            OpsRoutes.register(routing, metrics, database::isReachable);
        });
        resources.add(0, http);
        if (audit == null) {
            throw new IllegalStateException("unreachable");
        }
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
