package dev.portcullis.attest;

import dev.portcullis.image.Digest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The {@code attestation_entries} table: per {@code attestations} row only what the in-memory index
 * reads (who signed, the digest's bytes, the time in microseconds), written and deleted in the same
 * transaction as the row. A start reads these narrow rows and never decodes a payload or a signature:
 * reading the wide rows took about 19 seconds at a million attestations.
 */
final class AttestationEntryRows {
    private static final int FETCH = 10_000;

    private AttestationEntryRows() {}

    /** The entries of these rows, in the caller's transaction (which holds each attestor's row lock). */
    static void insert(Connection c, List<AttestationRows.Row> rows, Instant createdAt) throws SQLException {
        Map<Map.Entry<String, String>, Integer> signers = new HashMap<>();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO attestation_entries (signer, digest, created_micros) VALUES (?, ?, ?)")) {
            for (AttestationRows.Row r : rows) {
                Map.Entry<String, String> who = Map.entry(r.id().attestor(), r.id().keyId());
                Integer signer = signers.get(who);
                if (signer == null) {
                    signer = signer(c, who.getKey(), who.getValue());
                    signers.put(who, signer);
                }
                ps.setInt(1, signer);
                ps.setBytes(2, bytes(r.artifact().digest()));
                ps.setLong(3, micros);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // The signer's id, made on its first attestation. No race: the writer holds the attestor's row lock.
    private static int signer(Connection c, String attestor, String keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM attestation_signers WHERE attestor = ? AND key_id = ?")) {
            ps.setString(1, attestor);
            ps.setString(2, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attestation_signers (attestor, key_id) VALUES (?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, attestor);
            ps.setString(2, keyId);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                if (!rs.next()) {
                    throw new SQLException("the store gave no id for a new signer");
                }
                return rs.getInt(1);
            }
        }
    }

    /** Deletes the attestor's entries and signers, in the deletion's transaction. */
    static void deleteAttestor(Connection c, String attestor) throws SQLException {
        for (String sql : new String[] {
                "DELETE FROM attestation_entries WHERE signer IN (SELECT id FROM attestation_signers WHERE attestor = ?)",
                "DELETE FROM attestation_signers WHERE attestor = ?"}) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, attestor);
                ps.executeUpdate();
            }
        }
    }

    /** The index of every stored entry, without revocations (those are the keys'); one read of the narrow table. */
    static AttestationIndex load(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        // PostgreSQL streams a result in fetches only inside a transaction; otherwise it holds every row at once.
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.setFetchSize(FETCH);
            Map<Integer, Integer> signers = new HashMap<>();
            long expected;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM attestation_entries")) {
                rs.next();
                expected = rs.getLong(1);
            }
            IndexBuilder index = new IndexBuilder(expected);
            try (ResultSet rs = s.executeQuery("SELECT id, attestor, key_id FROM attestation_signers")) {
                while (rs.next()) {
                    signers.put(rs.getInt(1), index.signer(rs.getString(2), rs.getString(3)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT signer, digest, created_micros FROM attestation_entries")) {
                int lastStored = Integer.MIN_VALUE;
                int last = -1;
                while (rs.next()) {
                    int stored = rs.getInt(1);
                    if (stored != lastStored) {   // nearly every entry has the signer of the one before
                        Integer id = signers.get(stored);
                        if (id == null) {
                            throw new SQLException("an attestation entry names signer " + stored + ", which is not stored");
                        }
                        lastStored = stored;
                        last = id;
                    }
                    index.add(last, rs.getBytes(2), rs.getLong(3));
                }
            }
            c.commit();
            return index.build();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Makes the entries and signers anew from the {@code attestations} rows, in the caller's
     * transaction: the migration that brings an earlier store's rows in.
     */
    static void refill(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM attestation_entries");
            s.executeUpdate("DELETE FROM attestation_signers");
            s.executeUpdate("INSERT INTO attestation_signers (attestor, key_id) SELECT DISTINCT attestor, key_id FROM attestations");
        }
        Map<Map.Entry<String, String>, Integer> signers = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, attestor, key_id FROM attestation_signers")) {
            while (rs.next()) {
                signers.put(Map.entry(rs.getString(2), rs.getString(3)), rs.getInt(1));
            }
        }
        try (Statement s = c.createStatement(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO attestation_entries (signer, digest, created_micros) VALUES (?, ?, ?)")) {
            s.setFetchSize(FETCH);
            int pending = 0;
            try (ResultSet rs = s.executeQuery("SELECT attestor, key_id, digest, created_at FROM attestations")) {
                while (rs.next()) {
                    ps.setInt(1, signers.get(Map.entry(rs.getString(1), rs.getString(2))));
                    ps.setBytes(2, bytes(Digest.parse(rs.getString(3))));
                    ps.setLong(3, ChronoUnit.MICROS.between(Instant.EPOCH, rs.getTimestamp(4).toInstant()));
                    ps.addBatch();
                    if (++pending == FETCH) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    /** A digest as stored: its raw bytes, 32 for sha256 and 64 for sha512. */
    static byte[] bytes(Digest d) {
        return HexFormat.of().parseHex(d.hex());
    }

    /** The digest of stored bytes. */
    static Digest digest(byte[] raw) {
        return switch (raw.length) {
            case 32 -> new Digest("sha256", HexFormat.of().formatHex(raw));
            case 64 -> new Digest("sha512", HexFormat.of().formatHex(raw));
            default -> throw new IllegalStateException("a stored digest of " + raw.length + " bytes");
        };
    }
}
