package dev.portcullis.store;

import org.flywaydb.core.Flyway;

/** A store as an earlier build left it: migrated up to a version, not to the newest. */
public final class EarlierSchema {
    private EarlierSchema() {}

    /** Applies the shared migrations (and the store's own Java one) up to and including {@code version}. */
    public static void migrate(StoreSettings settings, String version) {
        Flyway.configure().dataSource(settings.url(), settings.user(), settings.password().reveal())
                .locations(Database.SHARED_MIGRATIONS).javaMigrations(new V3_4__AuditEventsWithoutTimeIndexOnH2())
                .target(version).load().migrate();
    }
}
