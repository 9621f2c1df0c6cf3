package dev.portcullis.testbed;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.config.Secret;
import dev.portcullis.store.StoreSettings;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The stores a persistence test runs against: the embedded H2 file, and a real PostgreSQL when .ci/run started one. */
public final class Stores {
    private Stores() {}

    /** For {@code @MethodSource}: "h2" and "postgres". */
    public static Stream<String> kinds() {
        return Stream.of("h2", "postgres");
    }

    /** Settings for a kind; the PostgreSQL case is skipped when PORTCULLIS_TEST_POSTGRES_URL is not set. */
    public static StoreSettings settings(String kind, Path dir) {
        if (kind.equals("h2")) {
            return StoreSettings.embedded(dir);
        }
        String url = System.getenv("PORTCULLIS_TEST_POSTGRES_URL");
        assumeTrue(url != null, "PORTCULLIS_TEST_POSTGRES_URL is set by .ci/run");
        return new StoreSettings(url, "postgres", Secret.of(""), 4);
    }

    /**
     * As {@link #settings}, but on PostgreSQL a database of its own, for a test that deletes rows
     * other tests' stores may hold (the change feed's pruning) or needs a table to itself.
     */
    public static StoreSettings isolated(String kind, Path dir) {
        StoreSettings shared = settings(kind, dir);
        if (!shared.isPostgres()) {
            return shared;
        }
        String name = "isolated_" + System.nanoTime();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(shared.url(), shared.user(), "")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create a database for the test: " + e.getMessage(), e);
        }
        return new StoreSettings(shared.url().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name), shared.user(),
                shared.password(), shared.poolSize());
    }

    /**
     * A PostgreSQL store of its own with {@code poolSize} connections, for a test that restarts the
     * server ({@link #restartPostgres}); skipped without PORTCULLIS_TEST_POSTGRES_DIR.
     */
    public static StoreSettings restartable(Path dir, int poolSize) {
        assumeTrue(System.getenv("PORTCULLIS_TEST_POSTGRES_DIR") != null, "restarting PostgreSQL needs "
                + "PORTCULLIS_TEST_POSTGRES_DIR, the DIR given to scripts/postgres.sh start (.ci/run sets it)");
        StoreSettings s = isolated("postgres", dir);
        return new StoreSettings(s.url(), s.user(), s.password(), poolSize);
    }

    /** Stops and starts the PostgreSQL the tests run on, on the same port (scripts/postgres.sh restart). */
    public static void restartPostgres() {
        Processes.ok(Launcher.projectRoot(), Launcher.projectRoot().resolve("scripts/postgres.sh").toString(), "restart",
                System.getenv("PORTCULLIS_TEST_POSTGRES_DIR"));
    }

    /**
     * As {@link #settings}, but on PostgreSQL a database of its own, made now: a test of a migration
     * starts from an empty store there too (the shared database is migrated to the newest already).
     */
    public static StoreSettings fresh(String kind, Path dir) {
        return isolated(kind, dir);
    }
}
