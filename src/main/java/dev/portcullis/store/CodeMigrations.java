package dev.portcullis.store;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/** A {@link CodeMigration} as Flyway runs it: the capabilities' migrations need no Flyway type. */
final class CodeMigrations implements JavaMigration {
    private final CodeMigration migration;

    CodeMigrations(CodeMigration migration) {
        this.migration = migration;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(migration.version());
    }

    @Override
    public String getDescription() {
        return migration.description();
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        migration.migrate(context.getConnection());
    }
}
