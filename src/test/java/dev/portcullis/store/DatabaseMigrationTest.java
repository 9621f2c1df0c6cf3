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

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void open_twice_secondOpenMigratesNothingAndSucceeds(String kind) throws Exception {
        Database.open(Stores.settings(kind, dir)).close();
        try (Database db = Database.open(Stores.settings(kind, dir))) {
            assertThat(db.isReachable()).isTrue();
        }
    }
}
