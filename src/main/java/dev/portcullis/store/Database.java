package dev.portcullis.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
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
    private static final System.Logger LOG = System.getLogger(Database.class.getName());
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

    /**
     * Runs {@code work} in one transaction on a pooled connection and commits it. When the connection
     * fails (SQLState class 08, or 57P01: PostgreSQL was shut down, as in a restart) before the commit
     * is sent, nothing took effect: the pool drops its idle connections, which went to the same server,
     * and the work runs once more on a new one. A failed commit is never run again, since it may have
     * committed ({@link UncertainCommitException}); nor is any other error.
     */
    public void inTransaction(SqlWork work) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            boolean committed = false;
            try (Connection c = connection()) {
                c.setAutoCommit(false);
                try {
                    work.run(c);
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                }
                commit(c);
                committed = true;
            } catch (SQLException e) {
                // Handing the connection back failed after the commit: the write took effect, the pool drops it.
                if (!committed && !retryAfter(e, attempt)) {
                    throw e;
                }
                if (!committed) {
                    continue;
                }
            }
            return;
        }
    }

    /**
     * Whether a write that failed with {@code e} on its {@code attempt}-th try (from 0) is to be run
     * once more: a connection failure before its commit ({@link #inTransaction}). When it is, the
     * pool's idle connections are dropped first, so that the next try gets a new one.
     */
    public boolean retryAfter(SQLException e, int attempt) {
        if (!ConnectionFailures.retryable(e, attempt)) {
            return false;
        }
        LOG.log(System.Logger.Level.WARNING, "the store closed a connection before a commit (SQLState " + e.getSQLState()
                + "); the transaction runs again on a new connection");
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        if (pool != null) {
            pool.softEvictConnections();
        }
        return true;
    }

    /** Commits; a failure of the commit is an {@link UncertainCommitException}: it may have taken effect. */
    public static void commit(Connection c) throws SQLException {
        try {
            c.commit();
        } catch (SQLException e) {
            throw new UncertainCommitException(e);
        }
    }

    // A rollback on a broken connection fails too; the first failure is the one to tell.
    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
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
