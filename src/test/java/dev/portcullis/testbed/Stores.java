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
     * As {@link #settings}, but on PostgreSQL a database of its own, made now: a test of a migration
     * starts from an empty store there too (the shared database is migrated to the newest already).
     */
    public static StoreSettings fresh(String kind, Path dir) throws java.sql.SQLException {
        StoreSettings shared = settings(kind, dir);
        if (kind.equals("h2")) {
            return shared;
        }
        String name = "fresh_" + System.nanoTime();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(shared.url(), shared.user(), shared.password().reveal())) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return new StoreSettings(shared.url().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name), shared.user(),
                shared.password(), 4);
    }
}
