package dev.portcullis.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * The connection pool to the store, migrated to the current schema on open. Each capability adds its
 * tables as Flyway migrations under {@code db/migration} (versions {@code V<issue>_<n>__name.sql}, each
 * newer than every one before it: a store already migrated refuses a version lower than its own);
 * the few that differ between H2 and PostgreSQL are Java migrations in this package.
 */
public final class Database implements AutoCloseable {
    /** The migrations of the capabilities that were here before each could declare its own location. */
    public static final String SHARED_MIGRATIONS = "classpath:db/migration";
    private final HikariDataSource dataSource;
    private final StoreSettings settings;
    private final H2Compaction compaction;   // null: not an H2 file

    private Database(HikariDataSource dataSource, StoreSettings settings, H2Compaction compaction) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.compaction = compaction;
    }

    /** Opens the pool and applies pending migrations; an unreachable store stops the start with its reason. */
    public static Database open(StoreSettings settings) {
        return open(settings, List.of(), List.of());
    }

    /**
     * As {@link #open(StoreSettings)}, with the migration locations capabilities declare of their own
     * ({@code classpath:...}) scanned beside the shared {@code db/migration}, and their Java migrations.
     */
    public static Database open(StoreSettings settings, List<String> moreLocations, List<CodeMigration> codeMigrations) {
        List<String> locations = new ArrayList<>(List.of(SHARED_MIGRATIONS));
        moreLocations.stream().filter(l -> !locations.contains(l)).forEach(locations::add);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password().reveal());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("portcullis-store");
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(10_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the store at " + redact(settings.url()) + ": " + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(ds).locations(locations.toArray(String[]::new))
                    .javaMigrations(javaMigrations(codeMigrations))
                    .load().migrate();
        } catch (FlywayException e) {
            ds.close();
            throw new StoreException("cannot migrate the store at " + redact(settings.url()) + ": " + rootMessage(e), e);
        }
        try {
            return new Database(ds, settings, settings.isEmbeddedFile() ? H2Compaction.start(ds) : null);
        } catch (SQLException | RuntimeException e) {
            ds.close();
            throw new StoreException("cannot open the store at " + redact(settings.url()) + ": " + rootMessage(e), e);
        }
    }

    private static JavaMigration[] javaMigrations(List<CodeMigration> codeMigrations) {
        List<JavaMigration> all = new ArrayList<>();
        all.add(new V3_4__AuditEventsWithoutTimeIndexOnH2());
        codeMigrations.forEach(m -> all.add(new CodeMigrations(m)));
        return all.toArray(JavaMigration[]::new);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isPostgres() {
        return settings.isPostgres();
    }

    /** How long the change feed keeps its entries ({@code store.change_log_max_age}). */
    java.time.Duration changeLogMaxAge() {
        return settings.changeLogMaxAge();
    }

    /**
     * A connection of its own, outside the pool, for a caller that holds it for long (the change feed's
     * {@code LISTEN}); the caller closes it. Gives up connecting after five seconds.
     */
    Connection dedicatedConnection() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", settings.user());
        p.setProperty("password", settings.password().reveal());
        if (isPostgres()) {
            p.setProperty("connectTimeout", "5");
            p.setProperty("tcpKeepAlive", "true");
        }
        return java.sql.DriverManager.getConnection(settings.url(), p);
    }

    /** A connection from the pool; a failure becomes a {@link StoreException}. */
    public Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new StoreException("the store is unavailable: " + e.getMessage(), e);
        }
    }

    /** Whether a trivial query answers within a second, for {@code /readyz}. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (compaction != null) {
            compaction.close();
        }
        dataSource.close();
    }

    // URLs may carry a password parameter; messages never do.
    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
