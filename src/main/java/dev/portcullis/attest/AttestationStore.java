package dev.portcullis.attest;

import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Attestors, keys and attestations in the store, mirrored in memory: an attestation is verified when
 * it arrives, written, then indexed, so admission never verifies or reads the store. Reloads
 * everything at start.
 */
public final class AttestationStore {
    /** The most attestations one {@link #ingestAll} takes. */
    public static final int MAX_BATCH = 1_000;

    private record KeyEntry(AttestorKey key, boolean revoked) {}

    private final Database db;
    private final Clock clock;
    private final AttestationIndex index = new AttestationIndex();
    private final Map<String, Map<String, KeyEntry>> keys = new ConcurrentHashMap<>();
    // Every stored attestation by what makes it the same: a repeat is answered with the one stored.
    private final Map<AttestationRows.Identity, VerifiedAttestation> stored = new ConcurrentHashMap<>();

    public AttestationStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        load();
    }

    public AttestationIndex index() {
        return index;
    }

    /** Adds an attestor; a name or note the store cannot hold is refused before it is asked. */
    public void addAttestor(String name, String note) {
        Attestor a = new Attestor(name == null ? "" : name, note);
        update("INSERT INTO attestors (name, note, created_at) VALUES (?, ?, ?)", a.name(), a.note(),
                Timestamp.from(clock.instant()));
        keys.putIfAbsent(a.name(), new ConcurrentHashMap<>());
    }

    /** Adds a PGP key (armored text) or a PKIX key (PEM, with its algorithm); returns the key id. */
    public String addKey(String attestor, String material, Optional<PkixAlgorithm> pkixAlgorithm, Optional<String> keyId) {
        Map<String, KeyEntry> ks = attestorKeys(attestor);
        AttestorKey key = pkixAlgorithm.<AttestorKey>map(a -> AttestorKey.Pkix.parse(material, a, keyId.orElse(null)))
                .orElseGet(() -> AttestorKey.Pgp.parse(material));
        update("INSERT INTO attestor_keys (attestor, key_id, kind, algorithm, material) VALUES (?, ?, ?, ?, ?)", attestor, key.id(),
                key instanceof AttestorKey.Pgp ? "PGP" : "PKIX", pkixAlgorithm.map(Enum::name).orElse(""), material);
        ks.put(key.id(), new KeyEntry(key, false));
        return key.id();
    }

    /** Revokes a key: attestations signed only by it stop counting from now on. */
    public void revokeKey(String attestor, String keyId) {
        KeyEntry e = attestorKeys(attestor).get(keyId);
        if (e == null) {
            throw new AttestationRejectedException(Reason.UNKNOWN_KEY, "attestor " + attestor + " has no key " + keyId);
        }
        update("UPDATE attestor_keys SET revoked_at = ? WHERE attestor = ? AND key_id = ?", Timestamp.from(clock.instant()),
                attestor, keyId);
        attestorKeys(attestor).put(keyId, new KeyEntry(e.key(), true));
        index.revoke(attestor, keyId);
    }

    /** Verifies, stores and indexes an attestation; throws with the reason when it does not verify. */
    public Ingested ingest(Occurrence o) {
        return ingestAll(List.of(o)).get(0);
    }

    /**
     * Verifies every attestation first, then writes them all in one transaction and indexes them: all
     * or none, and a rejected one is named by its place in the list. At most {@value #MAX_BATCH}, as
     * Grafeas's batchCreate. An attestation already stored (same attestor, key and content), or given
     * twice in the batch, is not stored again: it is answered with the stored one. Returns, per
     * attestation, its first signature that verified.
     */
    public List<Ingested> ingestAll(List<Occurrence> occurrences) {
        return ingestAll(occurrences, fresh -> { });
    }

    /**
     * As {@link #ingestAll(List)}; {@code beforeWrite} is given the attestations about to be stored
     * (verified, not stored yet; repeats are not among them) before anything is written, e.g. to audit
     * them first: when it throws, nothing is stored.
     */
    public List<Ingested> ingestAll(List<Occurrence> occurrences, Consumer<List<VerifiedAttestation>> beforeWrite) {
        if (occurrences.isEmpty() || occurrences.size() > MAX_BATCH) {
            throw new AttestationRejectedException(Reason.MALFORMED_PAYLOAD, "a batch holds 1 to " + MAX_BATCH
                    + " attestations, not " + occurrences.size());
        }
        List<List<Signed>> verified = new ArrayList<>(occurrences.size());
        for (int i = 0; i < occurrences.size(); i++) {
            try {
                verified.add(verify(occurrences.get(i)));
            } catch (AttestationRejectedException x) {
                throw occurrences.size() == 1 ? x
                        : new AttestationRejectedException(x.reason(), "attestation " + i + ": " + x.getMessage());
            }
        }
        // Twice at most: a conflict means another writer stored some of these since; they are then known.
        for (int attempt = 0; attempt < 2; attempt++) {
            Map<AttestationRows.Identity, AttestationRows.Row> fresh = new LinkedHashMap<>();
            for (List<Signed> signatures : verified) {
                for (Signed sig : signatures) {
                    if (!stored.containsKey(sig.id())) {
                        fresh.putIfAbsent(sig.id(), new AttestationRows.Row(sig.id(), sig.artifact(), sig.o().serializedPayload(),
                                sig.signature()));
                    }
                }
            }
            if (fresh.isEmpty()) {
                return answers(verified, Set.of());
            }
            // The store keeps microseconds: the time answered now is the time read back after a restart.
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            beforeWrite.accept(fresh.values().stream().map(r -> new VerifiedAttestation(r.id().attestor(), r.id().keyId(),
                    r.artifact(), now)).toList());
            try (Connection c = db.connection()) {
                if (AttestationRows.insert(c, List.copyOf(fresh.values()), now)) {
                    fresh.values().forEach(r -> remember(r.id(), new VerifiedAttestation(r.id().attestor(), r.id().keyId(),
                            r.artifact(), now)));
                    return answers(verified, fresh.keySet());
                }
                AttestationRows.find(c, List.copyOf(fresh.keySet())).forEach(this::remember);
            } catch (SQLException e) {
                throw new StoreException("the store refused a write: " + e.getMessage(), e);
            }
        }
        throw new StoreException("the store kept refusing attestations as already stored", null);
    }

    private void remember(AttestationRows.Identity id, VerifiedAttestation v) {
        if (stored.putIfAbsent(id, v) == null) {
            index.add(v);
        }
    }

    // Per attestation, its first signature as stored; created when this call stored one of its signatures first.
    private List<Ingested> answers(List<List<Signed>> verified, Set<AttestationRows.Identity> written) {
        Set<AttestationRows.Identity> claimed = new HashSet<>();
        List<Ingested> out = new ArrayList<>(verified.size());
        for (List<Signed> signatures : verified) {
            boolean created = false;
            for (Signed sig : signatures) {
                created |= written.contains(sig.id()) && claimed.add(sig.id());
            }
            out.add(new Ingested(stored.get(signatures.get(0).id()), created));
        }
        return out;
    }

    /** One signature of an attestation that verified, to be written. */
    private record Signed(Occurrence o, ArtifactUrl artifact, String keyId, byte[] signature, AttestationRows.Identity id) {
        Signed(Occurrence o, ArtifactUrl artifact, String keyId, byte[] signature) {
            this(o, artifact, keyId, signature, AttestationRows.Identity.of(o.attestor(), keyId, o.serializedPayload(), signature));
        }
    }

    private List<Signed> verify(Occurrence o) {
        ArtifactUrl artifact = ArtifactUrl.parse(o.resourceUri());
        Map<String, KeyEntry> ks = attestorKeys(o.attestor());
        AttestationRejectedException last = null;
        if (o.pgpSignedAttestation().length > 0) {
            for (KeyEntry e : ks.values()) {
                if (e.key() instanceof AttestorKey.Pgp pgp && !e.revoked()) {
                    try {
                        SignatureVerifier.verifyPgp(artifact, null, o.pgpSignedAttestation(), pgp);
                        return List.of(new Signed(o, artifact, pgp.id(), o.pgpSignedAttestation()));
                    } catch (AttestationRejectedException x) {
                        last = x;
                    }
                }
            }
        }
        // Every signature that verifies is kept, one row per key: revoking one key then leaves the
        // attestation counting as long as another key that signed it is still trusted.
        List<Signed> signed = new ArrayList<>();
        for (Occurrence.Signature s : o.signatures()) {
            KeyEntry e = ks.get(s.publicKeyId());
            if (e == null || e.revoked()) {
                last = new AttestationRejectedException(Reason.UNKNOWN_KEY, "attestor " + o.attestor() + " has no "
                        + (e == null ? "" : "unrevoked ") + "key " + s.publicKeyId());
                continue;
            }
            try {
                switch (e.key()) {
                    case AttestorKey.Pkix k -> SignatureVerifier.verifyPkix(artifact, o.serializedPayload(), s.signature(), k);
                    case AttestorKey.Pgp k -> SignatureVerifier.verifyPgp(artifact, o.serializedPayload(), s.signature(), k);
                }
                signed.add(new Signed(o, artifact, s.publicKeyId(), s.signature()));
            } catch (AttestationRejectedException x) {
                last = x;
            }
        }
        if (!signed.isEmpty()) {
            return signed;
        }
        throw last != null ? last : new AttestationRejectedException(Reason.UNKNOWN_KEY, "attestor " + o.attestor() + " has no keys");
    }

    private Map<String, KeyEntry> attestorKeys(String attestor) {
        Map<String, KeyEntry> ks = keys.get(attestor);
        if (ks == null) {
            throw new AttestationRejectedException(Reason.UNKNOWN_KEY, "no attestor named " + attestor);
        }
        return ks;
    }

    private void load() {
        try (Connection c = db.connection()) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM attestors")) {
                while (rs.next()) {
                    keys.put(rs.getString(1), new ConcurrentHashMap<>());
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT attestor, key_id, kind, algorithm, material, revoked_at FROM attestor_keys")) {
                while (rs.next()) {
                    AttestorKey k = rs.getString(3).equals("PGP") ? AttestorKey.Pgp.parse(rs.getString(5))
                            : AttestorKey.Pkix.parse(rs.getString(5), PkixAlgorithm.parse(rs.getString(4)), rs.getString(2));
                    boolean revoked = rs.getTimestamp(6) != null;
                    keys.computeIfAbsent(rs.getString(1), n -> new ConcurrentHashMap<>()).put(rs.getString(2), new KeyEntry(k, revoked));
                    if (revoked) {
                        index.revoke(rs.getString(1), rs.getString(2));
                    }
                }
            }
            AttestationRows.loadAll(c).forEach(this::remember);
        } catch (SQLException e) {
            throw new StoreException("cannot load attestations: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new AttestationRejectedException(Reason.MALFORMED_KEY, "an attestor or key with this name already exists");
            }
            throw new StoreException("the store refused a write: " + e.getMessage(), e);
        }
    }

}
