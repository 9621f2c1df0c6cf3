package dev.portcullis.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testbed.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
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
            try (Connection c = db.connection(); ResultSet rs = c.createStatement()
                    .executeQuery("SELECT moved_seq FROM audit_journal WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void open_twice_secondOpenMigratesNothingAndSucceeds(String kind) throws Exception {
        Database.open(Stores.settings(kind, dir)).close();
        try (Database db = Database.open(Stores.settings(kind, dir))) {
            assertThat(db.isReachable()).isTrue();
        }
    }
}
