package dev.portcullis.attest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code attestors} and {@code attestor_keys} tables, read for listing and emptied for a deletion. */
final class AttestorRows {
    private AttestorRows() {}

    /** The attestors named, or every one when {@code name} is null, by name, with their keys. */
    static List<StoredAttestor> read(Connection c, String name) throws SQLException {
        Map<String, StoredAttestor> byName = new LinkedHashMap<>();
        Map<String, List<StoredAttestor.Key>> keys = new LinkedHashMap<>();
        String where = name == null ? "" : " WHERE name = ?";
        try (PreparedStatement ps = c.prepareStatement("SELECT name, note, note_reference, created_at FROM attestors" + where
                + " ORDER BY name")) {
            if (name != null) {
                ps.setString(1, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byName.put(rs.getString(1), new StoredAttestor(rs.getString(1), rs.getString(2),
                            Attestor.boundNote(rs.getString(1), rs.getString(3)), rs.getTimestamp(4).toInstant(), List.of()));
                    keys.put(rs.getString(1), new ArrayList<>());
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT attestor, key_id, kind, algorithm, material, revoked_at "
                + "FROM attestor_keys" + (name == null ? "" : " WHERE attestor = ?") + " ORDER BY attestor, key_id")) {
            if (name != null) {
                ps.setString(1, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp revoked = rs.getTimestamp(6);
                    keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new StoredAttestor.Key(rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getString(5), revoked == null ? null : revoked.toInstant()));
                }
            }
        }
        List<StoredAttestor> out = new ArrayList<>(byName.size());
        byName.values().forEach(a -> out.add(new StoredAttestor(a.name(), a.note(), a.noteReference(), a.createdAt(),
                keys.get(a.name()))));
        return out;
    }

    /** Locks the attestor's row to the end of the transaction; false when there is none. */
    static boolean lock(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM attestors WHERE name = ? FOR UPDATE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Deletes the attestor with its keys and attestations; returns whether there was one. Its row is
     * locked first, so an attestation being written for it is either deleted too or refused.
     */
    static boolean delete(Connection c, String name) throws SQLException {
        if (!lock(c, name)) {
            return false;
        }
        AttestationEntryRows.deleteAttestor(c, name);
        for (String sql : new String[] {"DELETE FROM attestations WHERE attestor = ?", "DELETE FROM attestor_keys WHERE attestor = ?"}) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM attestors WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        }
    }
}
