package dev.portcullis.attest;

import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Attestors, keys and attestations in the store, mirrored in memory: an attestation is verified when
 * it arrives, written, then indexed, so admission never verifies or reads the store. Everything is
 * loaded at start; after that every change, this replica's or another's, reaches memory through the
 * change feed, as one new immutable {@link AttestationState}.
 */
public final class AttestationStore {
    /** The most attestations one {@link #ingestAll} takes. */
    public static final int MAX_BATCH = 1_000;

    private final Database db;
    private final Clock clock;
    private final ChangeFeed feed;
    private final AttestationStateRef state;
    private final IngestBudget budget;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

    /** A store with a change feed and a state of its own (one process, nothing else to follow). */
    public AttestationStore(Database db, Clock clock) {
        this(db, clock, ChangeFeed.open(db, clock), AttestationStateRef.standalone());
    }

    /** Loads the store into {@code state} and follows {@code feed} from then on; open the feed before this. */
    public AttestationStore(Database db, Clock clock, ChangeFeed feed, AttestationStateRef state) {
        this(db, clock, feed, state, IngestBudget.halfTheHeap());
    }

    /** As {@link #AttestationStore(Database, Clock, ChangeFeed, AttestationStateRef)}, refusing new attestations beyond {@code budget}. */
    public AttestationStore(Database db, Clock clock, ChangeFeed feed, AttestationStateRef state, IngestBudget budget) {
        this.budget = budget;
        this.db = db;
        this.clock = clock;
        this.feed = feed;
        this.state = state;
        AttestationChanges.subscribe(feed, state);
        load();
    }

    /** The index in force now: an immutable value, the same for as long as the caller holds it. */
    public AttestationIndex index() {
        return state.get().index();
    }

    /** Why new attestations are refused now, if they are (memory near its limit). */
    public Optional<String> refusal() {
        return budget.refusal(index());
    }

    /** How many batches were refused for memory since start. */
    public long refusedBatches() {
        return refused.get();
    }

    /** Adds an attestor bound to the note of its name's convention; see {@link #addAttestor(String, String, String)}. */
    public void addAttestor(String name, String note) {
        addAttestor(name, note, "");
    }

    /**
     * Adds an attestor bound to a Grafeas note ({@code projects/P/notes/N}; "" for its name's default):
     * attestations naming the note are its. A name, note or description the store cannot hold, or a note
     * another attestor is bound to, is refused before the store is asked.
     */
    public void addAttestor(String name, String note, String noteReference) {
        Attestor a = new Attestor(name == null ? "" : name, note, noteReference);
        if (!a.noteReference().isEmpty()) {
            Optional<String> holder = boundTo(a.noteReference()).filter(other -> !other.equals(a.name()));
            if (holder.isPresent()) {
                throw new InvalidFieldException("noteReference", a.noteReference() + " is the note of attestor " + holder.get());
            }
        }
        update(AttestationChanges.ATTESTOR, a.name(), "INSERT INTO attestors (name, note, note_reference, created_at) VALUES (?, ?, ?, ?)",
                a.name(), a.note(), a.noteReference().isEmpty() ? null : a.noteReference(), Timestamp.from(clock.instant()));
    }

    /** Adds a PGP key (armored text) or a PKIX key (PEM, with its algorithm); returns the key id. */
    public String addKey(String attestor, String material, Optional<PkixAlgorithm> pkixAlgorithm, Optional<String> keyId) {
        attestorKeys(attestor);
        AttestorKey key = pkixAlgorithm.<AttestorKey>map(a -> AttestorKey.Pkix.parse(material, a, keyId.orElse(null)))
                .orElseGet(() -> AttestorKey.Pgp.parse(material));
        update(AttestationChanges.KEY, AttestationChanges.keyChange(attestor, key.id()),
                "INSERT INTO attestor_keys (attestor, key_id, kind, algorithm, material) VALUES (?, ?, ?, ?, ?)", attestor, key.id(),
                key instanceof AttestorKey.Pgp ? "PGP" : "PKIX", pkixAlgorithm.map(Enum::name).orElse(""), material);
        return key.id();
    }

    /** Revokes a key: attestations signed only by it stop counting from now on, on every replica. */
    public void revokeKey(String attestor, String keyId) {
        if (!attestorKeys(attestor).containsKey(keyId) && !(feed.catchUp() && attestorKeys(attestor).containsKey(keyId))) {
            throw new AttestationRejectedException(Reason.UNKNOWN_KEY, "attestor " + attestor + " has no key " + keyId);
        }
        boolean applied = update(AttestationChanges.KEY, AttestationChanges.keyChange(attestor, keyId),
                "UPDATE attestor_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE attestor = ? AND key_id = ?",
                Timestamp.from(clock.instant()), attestor, keyId);
        if (!applied) {
            // Stored, but the catch-up failed: fail closed here now. A revocation never goes back, so
            // applying it ahead of the feed cannot be undone by an older change applied after it.
            state.update(s -> s.withRevoked(attestor, keyId));
        }
    }

    /** Every attestor as stored, by name, with its keys; read from the store, so another replica's latest are there. */
    public List<StoredAttestor> attestors() {
        return read(null);
    }

    /** The attestor as stored, if there is one by this name. */
    public Optional<StoredAttestor> attestor(String name) {
        return read(name).stream().findFirst();
    }

    /**
     * Deletes an attestor with its keys and the attestations it made, on every replica: its
     * attestations stop counting at once, and a new attestor by the same name starts with none.
     */
    public void deleteAttestor(String name) {
        boolean[] found = {false};
        boolean applied;
        try {
            applied = feed.write(AttestationChanges.ATTESTOR, name, c -> found[0] = AttestorRows.delete(c, name));
        } catch (SQLException e) {
            throw new StoreException("the store refused a write: " + e.getMessage(), e);
        }
        if (!found[0]) {
            throw new AttestationRejectedException(Reason.UNKNOWN_ATTESTOR, "no attestor named " + name);
        }
        if (!applied) {
            // Deleted, but the catch-up failed: stop trusting it here now. No older change can bring it
            // back: each reloads its row, and the rows are gone.
            AttestationChanges.forget(state, name);
        }
    }

    private List<StoredAttestor> read(String name) {
        try (Connection c = db.connection()) {
            return AttestorRows.read(c, name);
        } catch (SQLException e) {
            throw new StoreException("cannot read attestors: " + e.getMessage(), e);
        }
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
        // Before anything is verified or stored: a refused batch leaves nothing behind, and decisions go on.
        Optional<String> full = refusal();
        if (full.isPresent()) {
            refused.incrementAndGet();
            throw new IngestRefusedException("new attestations are refused for now: " + full.get());
        }
        List<List<Signed>> verified = new ArrayList<>(occurrences.size());
        for (int i = 0; i < occurrences.size(); i++) {
            try {
                verified.add(verify(resolved(occurrences.get(i))));
            } catch (AttestationRejectedException x) {
                throw occurrences.size() == 1 ? x
                        : new AttestationRejectedException(x.reason(), "attestation " + (i + 1) + " of " + occurrences.size() + ": "
                        + x.getMessage());
            }
        }
        // A conflict means another writer stored some of these since; they are then known. Three tries:
        // the first may learn of repeats this replica has not indexed yet, the second of a concurrent writer.
        Map<AttestationRows.Identity, VerifiedAttestation> known = new HashMap<>();
        int lostConnections = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Connection c = db.connection()) {
                knownRepeats(c, verified, known);
                Map<AttestationRows.Identity, AttestationRows.Row> fresh = new LinkedHashMap<>();
                for (List<Signed> signatures : verified) {
                    for (Signed sig : signatures) {
                        if (!known.containsKey(sig.id())) {
                            fresh.putIfAbsent(sig.id(), new AttestationRows.Row(sig.id(), sig.artifact(), sig.o().serializedPayload(),
                                    sig.signature()));
                        }
                    }
                }
                if (fresh.isEmpty()) {
                    return answers(verified, Set.of(), known);
                }
                // The store keeps microseconds: the time answered now is the time read back after a restart.
                Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                List<VerifiedAttestation> about = fresh.values().stream().map(r -> new VerifiedAttestation(r.id().attestor(),
                        r.id().keyId(), r.artifact(), now)).toList();
                beforeWrite.accept(about);
                boolean inserted = AttestationRows.insert(c, List.copyOf(fresh.values()), now, feed);
                if (inserted) {
                    int i = 0;
                    for (AttestationRows.Identity id : fresh.keySet()) {
                        known.put(id, about.get(i++));
                    }
                } else {
                    known.putAll(AttestationRows.find(c, List.copyOf(fresh.keySet())));
                }
                c.close();
                // Indexed through the feed, in order with every other change (another writer's included),
                // once this connection is back in the pool.
                feed.catchUp();
                if (inserted) {
                    return answers(verified, fresh.keySet(), known);
                }
            } catch (SQLException e) {
                // The store closed the connection before the commit (a restart): nothing was written, once more.
                if (db.retryAfter(e, lostConnections++)) {
                    continue;
                }
                throw new StoreException("the store refused a write: " + e.getMessage(), e);
            }
        }
        throw new StoreException("the store kept refusing attestations as already stored", null);
    }

    // The memory holds no payloads: a signature can only be a repeat when its attestor and key have
    // vouched for its digest already, and for those few the store says whether the content is the same.
    private void knownRepeats(Connection c, List<List<Signed>> verified, Map<AttestationRows.Identity, VerifiedAttestation> known)
            throws SQLException {
        AttestationIndex index = index();
        List<AttestationRows.Identity> maybe = new ArrayList<>();
        for (List<Signed> signatures : verified) {
            for (Signed sig : signatures) {
                if (!known.containsKey(sig.id()) && index.holds(sig.id().attestor(), sig.keyId(), sig.artifact().digest())) {
                    maybe.add(sig.id());
                }
            }
        }
        if (!maybe.isEmpty()) {
            known.putAll(AttestationRows.find(c, maybe));
        }
    }

    // Per attestation, its first signature as stored; created when this call stored one of its signatures first.
    private List<Ingested> answers(List<List<Signed>> verified, Set<AttestationRows.Identity> written,
                                   Map<AttestationRows.Identity, VerifiedAttestation> known) {
        Set<AttestationRows.Identity> claimed = new HashSet<>();
        List<Ingested> out = new ArrayList<>(verified.size());
        for (List<Signed> signatures : verified) {
            boolean created = false;
            for (Signed sig : signatures) {
                created |= written.contains(sig.id()) && claimed.add(sig.id());
            }
            out.add(new Ingested(known.get(signatures.get(0).id()), created));
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
        Map<String, TrustedKey> ks = attestorKeys(o.attestor());
        AttestationRejectedException last = null;
        if (o.pgpSignedAttestation().length > 0) {
            for (TrustedKey e : ks.values()) {
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
            TrustedKey e = ks.get(s.publicKeyId());
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

    // One catch-up before refusing: the attestor may have been added through another replica just now.
    private Map<String, TrustedKey> attestorKeys(String attestor) {
        return known(attestor).orElseThrow(() -> new AttestationRejectedException(Reason.UNKNOWN_ATTESTOR, "no attestor named " + attestor));
    }

    private Optional<Map<String, TrustedKey>> known(String attestor) {
        return state.get().keysOf(attestor).or(() -> feed.catchUp() ? state.get().keysOf(attestor) : Optional.empty());
    }

    /**
     * The occurrence with its attestor as stored: Grafeas clients name the note ({@code noteName:
     * projects/P/notes/N}), which is the attestor bound to it (made with that note, or by default
     * {@code projects/P/attestors/N}), unless an attestor is named like the note itself.
     */
    private Occurrence resolved(Occurrence o) {
        if (!Attestor.GRAFEAS_NOTE.matcher(o.attestor()).matches() || known(o.attestor()).isPresent()) {
            return o;
        }
        String attestor = boundTo(o.attestor()).orElseThrow(() -> new AttestationRejectedException(Reason.UNKNOWN_ATTESTOR,
                "note " + o.attestor() + " belongs to no attestor (none is bound to it)"));
        return new Occurrence(o.resourceUri(), attestor, o.serializedPayload(), o.signatures(), o.pgpSignedAttestation());
    }

    // One catch-up before answering none, as for an attestor's keys.
    private Optional<String> boundTo(String note) {
        return state.get().attestorOfNote(note).or(() -> feed.catchUp() ? state.get().attestorOfNote(note) : Optional.empty());
    }

    private void load() {
        try (Connection c = db.connection()) {
            // The narrow entries, not the attestations rows: a start decodes no payload or signature.
            AttestationState loaded = AttestationChanges.loadAll(c);
            state.update(s -> loaded);
        } catch (SQLException e) {
            throw new StoreException("cannot load attestations: " + e.getMessage(), e);
        }
    }

    // One row and its change, in one transaction; this replica's memory has the change on return.
    private boolean update(String kind, String key, String sql, Object... args) {
        try {
            return feed.write(kind, key, c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < args.length; i++) {
                        ps.setObject(i + 1, args[i]);
                    }
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new AttestationRejectedException(Reason.MALFORMED_KEY, "an attestor or key with this name already exists");
            }
            throw new StoreException("the store refused a write: " + e.getMessage(), e);
        }
    }
}
