package dev.portcullis.attest;

import dev.portcullis.store.Change;
import dev.portcullis.store.ChangeFeed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The attestation store's kinds of change on the feed, and how a replica applies one: it reloads just
 * the row the change names (an attestor, a key with its revocation, an attestation) and swaps the state.
 */
final class AttestationChanges {
    static final String ATTESTOR = "attest.attestor";
    static final String KEY = "attest.key";
    static final String ATTESTATION = "attest.attestation";

    private AttestationChanges() {}

    /** A key's change key: the attestor (no spaces in its name), then the key id. */
    static String keyChange(String attestor, String keyId) {
        return attestor + " " + keyId;
    }

    /** Subscribes the three kinds. */
    static void subscribe(ChangeFeed feed, AttestationStateRef state) {
        feed.subscribe(ATTESTOR, (c, changes) -> {
            for (Change ch : changes) {
                if (attestorExists(c, ch.key())) {
                    state.update(s -> s.withAttestor(ch.key()));
                } else {
                    forget(state, ch.key());   // deleted (or a creation rolled back since)
                }
            }
        });
        feed.subscribe(KEY, (c, changes) -> {
            for (Change ch : changes) {
                String[] p = ch.key().split(" ", 2);
                if (p.length == 2) {
                    TrustedKey k = loadKey(c, p[0], p[1]);
                    if (k != null) {
                        state.update(s -> s.withAttestor(p[0]).withKey(p[0], k));
                    }
                }
            }
        });
        feed.subscribe(ATTESTATION, (c, changes) -> {
            List<AttestationRows.Identity> ids = new ArrayList<>(changes.size());
            changes.forEach(ch -> ids.add(AttestationRows.Identity.ofChangeKey(ch.key())));
            List<VerifiedAttestation> added = List.copyOf(AttestationRows.find(c, ids).values());
            state.update(s -> s.withAttestations(added));
        });
    }

    /** The attestor gone from memory: its keys and its attestations in the index. */
    static void forget(AttestationStateRef state, String attestor) {
        state.update(s -> s.withoutAttestor(attestor));
    }

    private static boolean attestorExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM attestors WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static TrustedKey loadKey(Connection c, String attestor, String keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT kind, algorithm, material, revoked_at FROM attestor_keys WHERE attestor = ? AND key_id = ?")) {
            ps.setString(1, attestor);
            ps.setString(2, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? key(keyId, rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4) != null) : null;
            }
        }
    }

    /** Every attestor with its keys, as stored, beside this index (whose revocations they bring). */
    static AttestationState loadKeys(Connection c, AttestationIndex index) throws SQLException {
        AttestationState s = new AttestationState(java.util.Map.of(), index);
        try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM attestors")) {
            while (rs.next()) {
                s = s.withAttestor(rs.getString(1));
            }
        }
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT attestor, key_id, kind, algorithm, material, revoked_at FROM attestor_keys")) {
            while (rs.next()) {
                s = s.withAttestor(rs.getString(1)).withKey(rs.getString(1),
                        key(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getTimestamp(6) != null));
            }
        }
        return s;
    }

    private static TrustedKey key(String keyId, String kind, String algorithm, String material, boolean revoked) {
        AttestorKey k = kind.equals("PGP") ? AttestorKey.Pgp.parse(material)
                : AttestorKey.Pkix.parse(material, PkixAlgorithm.parse(algorithm), keyId);
        return new TrustedKey(k, revoked);
    }
}
