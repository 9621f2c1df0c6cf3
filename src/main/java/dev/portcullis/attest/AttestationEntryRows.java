package dev.portcullis.attest;

import dev.portcullis.image.Digest;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code attestation_entries} table: only what the in-memory index reads of each stored
 * attestation, written and deleted in the same transaction as its {@code attestations} row. A row
 * packs the entries one transaction stored for one signer (a batch's, up to 1,000): the signer's id,
 * their time in microseconds, and their digests, each a length byte and the raw bytes. A start reads
 * a thousand such rows at a million attestations, never a payload or a signature, and not a million
 * rows either (decoding rows is what H2 spent its time on).
 */
final class AttestationEntryRows {
    private static final int FETCH = 1_000;
    private static final int PER_ROW = AttestationStore.MAX_BATCH;
    private static final String INSERT = "INSERT INTO attestation_entries (signer, created_micros, digests) VALUES (?, ?, ?)";

    private AttestationEntryRows() {}

    /** The entries of these rows, one packed row per signer, in the caller's transaction (which holds each attestor's row lock). */
    static void insert(Connection c, List<AttestationRows.Row> rows, Instant createdAt) throws SQLException {
        Map<Map.Entry<String, String>, ByteArrayOutputStream> bySigner = new LinkedHashMap<>();
        for (AttestationRows.Row r : rows) {
            pack(bySigner.computeIfAbsent(Map.entry(r.id().attestor(), r.id().keyId()), k -> new ByteArrayOutputStream()),
                    bytes(r.artifact().digest()));
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Map.Entry<Map.Entry<String, String>, ByteArrayOutputStream> e : bySigner.entrySet()) {
                ps.setInt(1, signer(c, e.getKey().getKey(), e.getKey().getValue()));
                ps.setLong(2, ChronoUnit.MICROS.between(Instant.EPOCH, createdAt));
                ps.setBytes(3, e.getValue().toByteArray());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void pack(ByteArrayOutputStream into, byte[] digest) {
        into.write(digest.length);
        into.writeBytes(digest);
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

    /**
     * Drops the entries stored at these times whose digest {@code gone} accepts (by its index key),
     * repacking the rest of each row it changes, in the caller's transaction (which holds the row
     * locks of the attestors whose entries change). Returns the digests dropped.
     */
    static java.util.Set<Digest> without(Connection c, java.util.Collection<Long> times,
                                        java.util.function.Predicate<long[]> gone) throws SQLException {
        java.util.Set<Digest> dropped = new java.util.LinkedHashSet<>();
        try (PreparedStatement read = c.prepareStatement("SELECT signer, digests FROM attestation_entries WHERE created_micros = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM attestation_entries WHERE created_micros = ? AND signer = ?");
             PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (long micros : times) {
                Map<Integer, ByteArrayOutputStream> kept = new LinkedHashMap<>();
                java.util.Set<Integer> changed = new java.util.HashSet<>();
                read.setLong(1, micros);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        int signer = rs.getInt(1);
                        ByteArrayOutputStream into = kept.computeIfAbsent(signer, x -> new ByteArrayOutputStream());
                        byte[] packed = rs.getBytes(2);
                        for (int at = 0; at < packed.length; at += 1 + (packed[at] & 0xff)) {
                            byte[] raw = java.util.Arrays.copyOfRange(packed, at + 1, at + 1 + (packed[at] & 0xff));
                            Digest d = digest(raw);
                            if (gone.test(AttestationIndex.key(d))) {
                                dropped.add(d);
                                changed.add(signer);
                            } else {
                                pack(into, raw);
                            }
                        }
                    }
                }
                for (int signer : changed) {
                    delete.setLong(1, micros);
                    delete.setInt(2, signer);
                    delete.executeUpdate();
                    if (kept.get(signer).size() > 0) {
                        row(insert, signer, micros, kept.get(signer));
                    }
                }
            }
            insert.executeBatch();
        }
        return dropped;
    }

    /** The index of every stored entry, without revocations (those are the keys'); one read of the entries' rows. */
    static AttestationIndex load(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        // PostgreSQL streams a result in fetches only inside a transaction; otherwise it holds every row at once.
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.setFetchSize(FETCH);
            long expected;
            // An estimate (sha512 digests count twice) from the sizes alone, to size the builder's arrays.
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(OCTET_LENGTH(digests)), 0) FROM attestation_entries")) {
                rs.next();
                expected = rs.getLong(1) / 33;
            }
            IndexBuilder index = new IndexBuilder(expected);
            Map<Integer, Integer> signers = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT id, attestor, key_id FROM attestation_signers")) {
                while (rs.next()) {
                    signers.put(rs.getInt(1), index.signer(rs.getString(2), rs.getString(3)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT signer, created_micros, digests FROM attestation_entries")) {
                while (rs.next()) {
                    Integer signer = signers.get(rs.getInt(1));
                    if (signer == null) {
                        throw new SQLException("attestation entries name signer " + rs.getInt(1) + ", which is not stored");
                    }
                    long micros = rs.getLong(2);
                    byte[] packed = rs.getBytes(3);
                    for (int at = 0; at < packed.length; at += 1 + (packed[at] & 0xff)) {
                        int length = packed[at] & 0xff;
                        if (at + 1 + length > packed.length) {
                            throw new SQLException("attestation entries of signer " + rs.getInt(1) + " end inside a digest");
                        }
                        index.add(signer, packed, at + 1, length, micros);
                    }
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
     * transaction: the migration that brings an earlier store's rows in. Rows are read in the order
     * they were stored, so a batch's (one signer, one time) are packed together again.
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
        try (Statement s = c.createStatement(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            s.setFetchSize(FETCH);
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            int signer = 0;
            long micros = 0;
            int count = 0;
            try (ResultSet rs = s.executeQuery("SELECT attestor, key_id, digest, created_at FROM attestations ORDER BY id")) {
                while (rs.next()) {
                    int who = signers.get(Map.entry(rs.getString(1), rs.getString(2)));
                    long at = ChronoUnit.MICROS.between(Instant.EPOCH, rs.getTimestamp(4).toInstant());
                    if (count > 0 && (who != signer || at != micros || count == PER_ROW)) {
                        row(ps, signer, micros, packed);
                        count = 0;
                    }
                    signer = who;
                    micros = at;
                    pack(packed, bytes(Digest.parse(rs.getString(3))));
                    count++;
                }
            }
            if (count > 0) {
                row(ps, signer, micros, packed);
            }
            ps.executeBatch();
        }
    }

    private static void row(PreparedStatement ps, int signer, long micros, ByteArrayOutputStream packed) throws SQLException {
        ps.setInt(1, signer);
        ps.setLong(2, micros);
        ps.setBytes(3, packed.toByteArray());
        ps.addBatch();
        packed.reset();
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
