package dev.portcullis.attest;

import dev.portcullis.store.Change;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.StateReload;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The attestation store's kinds of change on the feed, and how a replica applies one: it reloads just
 * the row the change names (an attestor, a key with its revocation, an attestation) and swaps the state.
 */
final class AttestationChanges {
    static final String ATTESTOR = "attest.attestor";
    static final String KEY = "attest.key";
    static final String ATTESTATION = "attest.attestation";
    /** Retention removed a digest's attestations made before a time ({@link #removalChange}). */
    static final String REMOVAL = "attest.removal";

    private AttestationChanges() {}

    /** A key's change key: the attestor (no spaces in its name), then the key id. */
    static String keyChange(String attestor, String keyId) {
        return attestor + " " + keyId;
    }

    /**
     * A removal's change key: the digest, then the time in microseconds before which its attestations
     * went. A replica drops only those: an attestation of the digest made since (another replica's, not
     * applied here yet) stays, whichever order the two reach it in.
     */
    static String removalChange(dev.portcullis.image.Digest digest, long beforeMicros) {
        return digest + " " + beforeMicros;
    }

    /** Subscribes the four kinds; a replica whose missed changes were pruned reads everything again. */
    static void subscribe(ChangeFeed feed, AttestationStateRef state) {
        StateReload reload = c -> {
            AttestationState loaded = loadAll(c);
            state.update(s -> loaded);
        };
        feed.subscribe(ATTESTOR, (c, changes) -> {
            for (Change ch : changes) {
                Optional<String> note = attestorNote(c, ch.key());
                if (note.isPresent()) {
                    // Only a creation or a deletion writes this kind, and the row there now was made at or
                    // after it: whatever memory holds for the name is older (a deletion applied after the
                    // name was made again), so its keys and attestations go; the keys and attestations of
                    // the row there now are later changes.
                    state.update(s -> s.withoutAttestor(ch.key()).withAttestor(ch.key(), note.get()));
                } else {
                    forget(state, ch.key());   // deleted (or a creation rolled back since)
                }
            }
        }, reload);
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
        }, reload);
        feed.subscribe(ATTESTATION, (c, changes) -> {
            List<AttestationRows.Identity> ids = new ArrayList<>(changes.size());
            changes.forEach(ch -> ids.add(AttestationRows.Identity.ofChangeKey(ch.key())));
            List<VerifiedAttestation> added = List.copyOf(AttestationRows.find(c, ids).values());
            state.update(s -> s.withAttestations(added));
        }, reload);
        feed.subscribe(REMOVAL, (c, changes) -> {
            List<AttestationIndex.Removal> removed = new ArrayList<>(changes.size());
            for (Change ch : changes) {
                String[] p = ch.key().split(" ", 2);
                if (p.length == 2) {
                    removed.add(new AttestationIndex.Removal(AttestationIndex.key(dev.portcullis.image.Digest.parse(p[0])),
                            Long.parseLong(p[1])));
                }
            }
            state.update(s -> s.withoutDigests(removed));
        }, reload);
    }

    /** The attestor gone from memory: its keys and its attestations in the index. */
    static void forget(AttestationStateRef state, String attestor) {
        state.update(s -> s.withoutAttestor(attestor));
    }

    // The note the attestor is bound to ("" for none); empty when there is no such attestor.
    private static Optional<String> attestorNote(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT note_reference FROM attestors WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Attestor.boundNote(name, rs.getString(1))) : Optional.empty();
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

    /**
     * Every attestor with its keys and every attestation, as stored: the index from the narrow entries
     * ({@link AttestationEntryRows}), so that reading it decodes no payload or signature.
     */
    static AttestationState loadAll(Connection c) throws SQLException {
        return loadKeys(c, AttestationEntryRows.load(c));
    }

    /** Every attestor with its keys, as stored, beside this index (whose revocations they bring). */
    static AttestationState loadKeys(Connection c, AttestationIndex index) throws SQLException {
        AttestationState s = new AttestationState(java.util.Map.of(), java.util.Map.of(), index);
        try (ResultSet rs = c.createStatement().executeQuery("SELECT name, note_reference FROM attestors")) {
            while (rs.next()) {
                s = s.withAttestor(rs.getString(1), Attestor.boundNote(rs.getString(1), rs.getString(2)));
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
