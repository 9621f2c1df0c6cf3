package dev.portcullis.platform;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.store.CodeMigration;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One capability of the control plane, declared in its own package: the configuration sections it
 * reads (into a settings record {@code S}), its store migrations, and how it starts (into a running
 * {@link Module} {@code M}: readiness, background work, contributions to other capabilities). Its
 * HTTP routes are declared beside it in {@code server}, the only package that may use Helidon.
 *
 * <p>The start runs in two phases: {@link #settings} for every capability first, before anything is
 * created (a typo stops the start with the file and line), then {@link #start} in list order once the
 * store is open and migrated.
 */
public interface Capability<S, M extends Module> {
    /** A short name, for messages and the readiness answer. */
    String name();

    /** The top-level configuration sections this capability reads; any other is a typo (or another's). */
    Set<String> sections();

    /**
     * Store migration locations of this capability's own ({@code classpath:...}), beside the shared
     * {@code db/migration} history; versions follow the one naming rule, {@code V<issue>_<n>__...}.
     */
    default List<String> migrations() {
        return List.of();
    }

    /** Store migrations of this capability's own written in Java (the few that differ between H2 and PostgreSQL). */
    default List<CodeMigration> codeMigrations() {
        return List.of();
    }

    /** Reads and checks this capability's sections; creates nothing. */
    S settings(ConfigSection root, Path dataDir);

    /** Builds the running capability; what it opens, its {@link Module#close} closes. */
    M start(S settings, StartContext context);
}
