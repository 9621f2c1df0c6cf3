package dev.portcullis.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testbed.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseMigrationTest {
    @TempDir
    Path dir;

    private static Set<String> auditIndexes(Database db) throws Exception {
        Set<String> names = new HashSet<>();
        try (Connection c = db.connection()) {
            String table = c.getMetaData().getDatabaseProductName().equals("H2") ? "AUDIT_EVENTS" : "audit_events";
            try (ResultSet rs = c.getMetaData().getIndexInfo(null, null, table, false, false)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") != null) {
                        names.add(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return names;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void open_auditTimeIndex_onlyPostgresKeepsIt(String kind) throws Exception {
        try (Database db = Database.open(Stores.settings(kind, dir))) {
            assertThat(auditIndexes(db).contains("audit_events_time")).isEqualTo(kind.equals("postgres"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void open_afterV3_5_auditJournalTableIsGone(String kind) throws Exception {
        try (Database db = Database.open(Stores.settings(kind, dir)); Connection c = db.connection()) {
            String table = c.getMetaData().getDatabaseProductName().equals("H2") ? "AUDIT_JOURNAL" : "audit_journal";
            try (ResultSet rs = c.getMetaData().getTables(null, null, table, null)) {
                assertThat(rs.next()).isFalse();
            }
        }
    }

    /** The applied migrations, in order: version and when Flyway ran each. */
    private static List<String> history(Database db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT \"version\", \"installed_on\", \"success\" FROM \"flyway_schema_history\" ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getTimestamp(2) + " " + rs.getBoolean(3));
            }
        }
        return out;
    }

    private static String newestMigration() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            Stream<String> sql = files.map(f -> f.getFileName().toString());
            Stream<String> javaMigrations = Stream.of(V3_4__AuditEventsWithoutTimeIndexOnH2.class.getSimpleName());
            return Stream.concat(sql, javaMigrations)
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.'))
                    .max(Comparator.comparing(MigrationVersion::fromVersion)).orElseThrow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void open_twice_secondOpenMigratesNothingAndSucceeds(String kind) throws Exception {
        List<String> first;
        try (Database db = Database.open(Stores.settings(kind, dir))) {
            first = history(db);
        }
        try (Database db = Database.open(Stores.settings(kind, dir))) {
            assertThat(history(db)).as("no migration ran on the second open").isEqualTo(first);
            assertThat(first.get(first.size() - 1)).startsWith(newestMigration() + " ").endsWith(" true");
            assertThat(db.isReachable()).isTrue();
        }
    }
}
