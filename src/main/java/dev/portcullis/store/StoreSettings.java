package dev.portcullis.store;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.config.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Where Portcullis keeps its state: a JDBC URL (embedded H2 file by default, PostgreSQL for many
 * replicas), its credentials and pool size, and how long the change feed keeps its entries. Read once
 * at start.
 */
public record StoreSettings(String url, String user, Secret password, int poolSize, Duration changeLogMaxAge) {
    /** How long the change feed keeps its entries unless told: a replica cut off for longer reloads what it follows. */
    public static final Duration DEFAULT_CHANGE_LOG_MAX_AGE = Duration.ofDays(1);
    private static final Duration MIN_CHANGE_LOG_MAX_AGE = Duration.ofSeconds(1);
    private static final Set<String> KEYS = Set.of("url", "user", "password", "pool_size", "change_log_max_age");

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("store.url must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        if (isH2File(url)) {
            url = withoutTraceFile(durableH2(url));
        }
        if (poolSize < 1 || poolSize > 200) {
            throw new IllegalArgumentException("store.pool_size must be between 1 and 200");
        }
        Objects.requireNonNull(changeLogMaxAge, "changeLogMaxAge");
        if (changeLogMaxAge.compareTo(MIN_CHANGE_LOG_MAX_AGE) < 0) {
            throw new IllegalArgumentException("store.change_log_max_age must be at least 1s");
        }
    }

    /** With the change feed's default age ({@link #DEFAULT_CHANGE_LOG_MAX_AGE}). */
    public StoreSettings(String url, String user, Secret password, int poolSize) {
        this(url, user, password, poolSize, DEFAULT_CHANGE_LOG_MAX_AGE);
    }

    /** The embedded default: an H2 file database in the data directory. */
    public static StoreSettings embedded(Path dataDir) {
        return new StoreSettings(h2FileUrl(dataDir), "sa", Secret.of(""), 8);
    }

    /** An in-memory H2 database, for tests and one-shot commands. */
    public static StoreSettings inMemory(String name) {
        return new StoreSettings("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", Secret.of(""), 4);
    }

    /** Reads the {@code store} section; without a {@code url} it is the embedded H2 file in {@code dataDir}. */
    public static StoreSettings from(ConfigSection section, Path dataDir) {
        section.rejectUnknown(KEYS);
        String url = section.string("url", h2FileUrl(dataDir));
        Duration maxAge = section.duration("change_log_max_age", DEFAULT_CHANGE_LOG_MAX_AGE);
        if (maxAge.compareTo(MIN_CHANGE_LOG_MAX_AGE) < 0) {
            throw section.error("change_log_max_age", "must be at least 1s (a replica further behind than it reloads "
                    + "everything it follows), not " + section.string("change_log_max_age", ""));
        }
        try {
            return new StoreSettings(url, section.string("user", url.startsWith("jdbc:h2:") ? "sa" : "postgres"),
                    section.secret("password").orElse(Secret.of("")), section.integer("pool_size", 8, 1, 200), maxAge);
        } catch (IllegalArgumentException e) {
            throw section.error("url", "is not usable: " + e.getMessage());
        }
    }

    /** An H2 database in a file (not in memory): the store whose audit log runs through a journal. */
    public boolean isEmbeddedFile() {
        return isH2File(url);
    }

    private static boolean isH2File(String url) {
        return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    // RETENTION_TIME: H2 keeps replaced pages 45 s by default, which under steady ingest kept the file at
    // ten times its data. H2 reuses a chunk's space only after this time, assuming the OS has written
    // back what replaced it by then; it does not fsync a commit. One second is shorter than Linux's
    // default write-back (30 s): after a power loss (not a killed process) the file may need H2's
    // recovery to an older chunk. COMPRESS: the hex digests and base64 payloads shrink by about half.
    // Both only for the default file, not for a URL the operator gives.
    private static String h2FileUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("portcullis") + ";DB_CLOSE_ON_EXIT=FALSE;CACHE_SIZE=4096;RETENTION_TIME=1000;COMPRESS=TRUE";
    }

    // H2 writes every SQL error, with the statement and its input, to a world-readable <db>.trace.db
    // by default: refused input (a would-be password, a forged note) does not belong on disk. A URL
    // that sets TRACE_LEVEL_FILE itself keeps its level.
    private static String withoutTraceFile(String url) {
        return url.toUpperCase(java.util.Locale.ROOT).contains(";TRACE_LEVEL_FILE=") ? url : url + ";TRACE_LEVEL_FILE=0";
    }

    // H2 holds commits in memory for WRITE_DELAY (500 ms by default) before writing them to the file:
    // a killed process would lose decisions whose audit records callers were told were committed.
    private static String durableH2(String url) {
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        int at = upper.indexOf(";WRITE_DELAY=");
        if (at < 0) {
            return url + ";WRITE_DELAY=0";
        }
        String value = upper.substring(at + ";WRITE_DELAY=".length()).split(";", 2)[0].trim();
        if (!value.equals("0")) {
            throw new IllegalArgumentException("store.url sets WRITE_DELAY=" + value
                    + ": only 0 is allowed, any other delay loses committed audit records when the process dies");
        }
        return url;
    }
}
