package dev.portcullis.attest;

import dev.portcullis.image.Digest;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code attestations} table: one row per attestor, key and signed content ({@link Identity}),
 * which a unique index holds to even against a concurrent writer or another replica.
 */
final class AttestationRows {
    private static final String UNIQUE_VIOLATION = "23505";

    private AttestationRows() {}

    /** What makes two attestations the same: who vouched, with which key, for which signed bytes. */
    record Identity(String attestor, String keyId, String contentSha256) {
        /** The content is the payload, or the attached PGP message when there is no separate payload. */
        static Identity of(String attestor, String keyId, byte[] payload, byte[] signature) {
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(payload.length > 0 ? payload : signature);
                return new Identity(attestor, keyId, HexFormat.of().formatHex(h));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }

        /** As the change feed names it: attestor and content digest (neither holds a space), then the key id. */
        String changeKey() {
            return attestor + " " + contentSha256 + " " + keyId;
        }

        static Identity ofChangeKey(String key) {
            String[] p = key.split(" ", 3);
            if (p.length != 3) {
                throw new IllegalArgumentException("not an attestation change key");
            }
            return new Identity(p[0], p[2], p[1]);
        }
    }

    /** A verified signature to be written. */
    record Row(Identity id, ArtifactUrl artifact, byte[] payload, byte[] signature) {}

    /**
     * Writes the rows and their changes to the feed in one transaction; false, with nothing written,
     * when one of them is already stored.
     */
    static boolean insert(Connection c, List<Row> rows, Instant now, ChangeFeed feed) throws SQLException {
        Base64.Encoder b64 = Base64.getEncoder();
        c.setAutoCommit(false);
        try {
            // Each attestor's row is locked to the commit: a deletion of it waits for this write and then
            // deletes these rows too, or went first and this write is refused; no attestation outlives its attestor.
            for (String attestor : rows.stream().map(r -> r.id().attestor()).distinct().toList()) {
                if (!AttestorRows.lock(c, attestor)) {
                    throw new AttestationRejectedException(Reason.UNKNOWN_ATTESTOR, "no attestor named " + attestor
                            + " (deleted just now)");
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attestations (attestor, key_id, repository, digest, "
                + "payload, signature, created_at, content_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Row r : rows) {
                ps.setString(1, r.id().attestor());
                ps.setString(2, r.id().keyId());
                ps.setString(3, r.artifact().repository());
                ps.setString(4, r.artifact().digest().toString());
                ps.setString(5, b64.encodeToString(r.payload()));
                ps.setString(6, b64.encodeToString(r.signature()));
                ps.setTimestamp(7, Timestamp.from(now));
                ps.setString(8, r.id().contentSha256());
                ps.addBatch();
            }
            ps.executeBatch();
            AttestationEntryRows.insert(c, rows, now);
            feed.append(c, AttestationChanges.ATTESTATION, rows.stream().map(r -> r.id().changeKey()).toList());
        } catch (SQLException e) {
            c.rollback();
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        } catch (RuntimeException e) {
            c.rollback();
            throw e;
        }
        // Not in the try above: a failed commit may have taken effect, so it is neither rolled back nor run again.
        Database.commit(c);
        return true;
    }

    // A batch may report the violation on the batch exception or on the one it wraps.
    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (UNIQUE_VIOLATION.equals(x.getSQLState())
                    || x.getCause() instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The stored attestations with these identities (another writer stored them since this one last looked). */
    static Map<Identity, VerifiedAttestation> find(Connection c, List<Identity> ids) throws SQLException {
        Map<Identity, VerifiedAttestation> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT repository, digest, created_at FROM attestations "
                + "WHERE attestor = ? AND key_id = ? AND content_sha256 = ?")) {
            for (Identity id : ids) {
                ps.setString(1, id.attestor());
                ps.setString(2, id.keyId());
                ps.setString(3, id.contentSha256());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(id, attestation(id, rs.getString(1), rs.getString(2), rs.getTimestamp(3)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Gives rows stored before {@code content_sha256} theirs, in the caller's transaction (the
     * migration's); of their repeats the newest is kept (the one whose age counted) and the others are
     * deleted. A row that already has an identity always stays. Reads every row's identity once.
     */
    static void identifyLegacy(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT 1 FROM attestations WHERE content_sha256 IS NULL LIMIT 1")) {
            if (!rs.next()) {
                return;
            }
        }
        record Loaded(long id, String attestor, String keyId, String content) {}
        List<Loaded> rows = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT id, attestor, key_id, content_sha256 FROM attestations "
                + "ORDER BY created_at DESC, id DESC")) {
            while (rs.next()) {
                rows.add(new Loaded(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        java.util.Set<Identity> seen = new java.util.HashSet<>();
        Map<Long, Identity> legacy = new LinkedHashMap<>();
        for (Loaded r : rows) {
            if (r.content() != null) {
                seen.add(new Identity(r.attestor(), r.keyId(), r.content()));
            } else {
                legacy.put(r.id(), null);
            }
        }
        Base64.Decoder b64 = Base64.getDecoder();
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT id, attestor, key_id, payload, signature FROM attestations WHERE content_sha256 IS NULL")) {
            while (rs.next()) {
                legacy.replace(rs.getLong(1), Identity.of(rs.getString(2), rs.getString(3), b64.decode(rs.getString(4)),
                        b64.decode(rs.getString(5))));
            }
        }
        try (PreparedStatement set = c.prepareStatement("UPDATE attestations SET content_sha256 = ? WHERE id = ?");
             PreparedStatement drop = c.prepareStatement("DELETE FROM attestations WHERE id = ?")) {
            for (Loaded r : rows) {
                Identity id = legacy.get(r.id());
                if (r.content() != null || id == null) {
                    continue;
                }
                if (!seen.add(id)) {
                    drop.setLong(1, r.id());
                    drop.addBatch();
                } else {
                    set.setString(1, id.contentSha256());
                    set.setLong(2, r.id());
                    set.addBatch();
                }
            }
            set.executeBatch();
            drop.executeBatch();
        }
    }

    private static VerifiedAttestation attestation(Identity id, String repository, String digest, Timestamp createdAt) {
        return new VerifiedAttestation(id.attestor(), id.keyId(), new ArtifactUrl(repository, Digest.parse(digest)),
                createdAt.toInstant());
    }
}
