package dev.portcullis.attest;

import dev.portcullis.store.CodeMigration;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Fills {@code attestation_entries} (made by {@code V27_1}) from an earlier store's attestations, so
 * that a start can read the index from the entries alone. Java, for the digests' bytes and the times'
 * microseconds, which H2 and PostgreSQL compute with different functions.
 */
public final class V27_2__AttestationEntries implements CodeMigration {
    @Override
    public String version() {
        return "27.2";
    }

    @Override
    public String description() {
        return "attestation entries from the stored attestations";
    }

    // Rows from before content_sha256 get theirs (and lose their repeats) first: an entry is made per
    // row that stays, and no start has to look for such rows again.
    @Override
    public void migrate(Connection connection) throws SQLException {
        AttestationRows.identifyLegacy(connection);
        AttestationEntryRows.refill(connection);
    }
}
