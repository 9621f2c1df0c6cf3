package dev.portcullis.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A store migration written in Java, for the few that differ between H2 and PostgreSQL; a capability
 * declares its own (platform.Capability#codeMigrations) instead of adding it to {@link Database}. Its
 * version follows the one rule, {@code <issue>.<n>} for {@code V<issue>_<n>}, newer than every one released.
 */
public interface CodeMigration {
    /** Flyway's version, e.g. {@code "20.1"}. */
    String version();

    /** What it does, as the schema history names it. */
    String description();

    /** Runs it, in the migration's transaction. */
    void migrate(Connection connection) throws SQLException;
}
