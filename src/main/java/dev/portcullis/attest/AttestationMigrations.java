package dev.portcullis.attest;

import dev.portcullis.store.CodeMigration;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The attestation store's migrations written in Java: what an earlier store's rows need computed in Java. */
public final class AttestationMigrations {
    private AttestationMigrations() {}

    /** Every one, for the capability that owns the attestation store to declare. */
    public static List<CodeMigration> all() {
        return List.of(new CodeMigration() {
            @Override
            public String version() {
                return "27.2";
            }

            @Override
            public String description() {
                return "attestation entries from the stored attestations";
            }

            // Rows from before content_sha256 get theirs (and lose their repeats) first: an entry is
            // made per row that stays, and a start then reads the entries alone.
            @Override
            public void migrate(Connection connection) throws SQLException {
                AttestationRows.identifyLegacy(connection);
                AttestationEntries.refill(connection);
            }
        });
    }
}
