package dev.portcullis.server;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.platform.Module;
import dev.portcullis.platform.StartContext;
import dev.portcullis.store.CodeMigration;
import io.helidon.webserver.http.HttpService;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** One capability of a running {@link Application}: its settings once read, its module once started. */
final class Slot<S, M extends Module> {
    private final Mounted<S, M> mounted;
    private S settings;
    private volatile M module;

    Slot(Mounted<S, M> mounted) {
        this.mounted = mounted;
    }

    String name() {
        return mounted.capability().name();
    }

    Set<String> sections() {
        return mounted.capability().sections();
    }

    List<String> migrations() {
        return mounted.capability().migrations();
    }

    List<CodeMigration> codeMigrations() {
        return mounted.capability().codeMigrations();
    }

    void readSettings(ConfigSection root, Path dataDir) {
        settings = mounted.capability().settings(root, dataDir);
    }

    /** The settings once read ({@link #readSettings}). */
    S settings() {
        return settings;
    }

    M start(StartContext context) {
        M m = mounted.capability().start(settings, context);
        module = m;
        return m;
    }

    /** The started module; null until then (the readiness filter answers 503 before). */
    M module() {
        return module;
    }

    List<HttpService> services(RouteContext context) {
        return mounted.routes().services(this::module, context);
    }
}
