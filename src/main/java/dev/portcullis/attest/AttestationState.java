package dev.portcullis.attest;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The attestation state in force, immutable: attestors with the keys they trust and the Grafeas notes
 * they are bound to, and the index of verified attestations with the revocations. A change makes a new
 * state; nothing changes one in place.
 */
public record AttestationState(Map<String, Map<String, TrustedKey>> keys, Map<String, String> notes,
        AttestationIndex index) {
    /** Before anything is loaded: no attestors, nothing attested. */
    public static final AttestationState EMPTY = new AttestationState(Map.of(), Map.of(), AttestationIndex.EMPTY);

    public AttestationState {
        keys = Map.copyOf(keys);
        notes = Map.copyOf(notes);
        java.util.Objects.requireNonNull(index, "index");
    }

    /** The attestor's keys by id, when there is such an attestor. */
    public Optional<Map<String, TrustedKey>> keysOf(String attestor) {
        return Optional.ofNullable(keys.get(attestor));
    }

    /** The attestor bound to this note ({@code projects/P/notes/N}), when there is one; {@link #notes} maps note to attestor. */
    public Optional<String> attestorOfNote(String note) {
        return Optional.ofNullable(notes.get(note));
    }

    /** This state with the attestor known (keeping its keys if it was). */
    public AttestationState withAttestor(String attestor) {
        if (keys.containsKey(attestor)) {
            return this;
        }
        Map<String, Map<String, TrustedKey>> next = new HashMap<>(keys);
        next.put(attestor, Map.of());
        return new AttestationState(next, notes, index);
    }

    /** This state with the attestor known and bound to exactly its note as stored ("" for none). */
    public AttestationState withAttestor(String attestor, String note) {
        AttestationState s = withAttestor(attestor);
        boolean same = (note.isEmpty() || attestor.equals(s.notes.get(note)))
                && s.notes.entrySet().stream().noneMatch(e -> e.getValue().equals(attestor) && !e.getKey().equals(note));
        if (same) {
            return s;
        }
        Map<String, String> bound = new HashMap<>(s.notes);
        bound.values().removeIf(attestor::equals);   // a note it no longer has (deleted and made again)
        if (!note.isEmpty()) {
            bound.put(note, attestor);
        }
        return new AttestationState(s.keys, bound, s.index);
    }

    /** This state without the attestor: no keys, no note, and none of its attestations or revocations in the index. */
    public AttestationState withoutAttestor(String attestor) {
        Map<String, Map<String, TrustedKey>> next = new HashMap<>(keys);
        next.remove(attestor);
        Map<String, String> bound = new HashMap<>(notes);
        bound.values().removeIf(attestor::equals);
        return new AttestationState(next, bound, index.withoutAttestor(attestor));
    }

    /** This state with the key as stored; once revoked, a key stays revoked whatever an older read says. */
    public AttestationState withKey(String attestor, TrustedKey key) {
        Map<String, TrustedKey> ks = new HashMap<>(keys.getOrDefault(attestor, Map.of()));
        TrustedKey before = ks.get(key.key().id());
        boolean revoked = key.revoked() || before != null && before.revoked();
        ks.put(key.key().id(), new TrustedKey(key.key(), revoked));
        Map<String, Map<String, TrustedKey>> next = new HashMap<>(keys);
        next.put(attestor, Map.copyOf(ks));
        return new AttestationState(next, notes, revoked ? index.withRevoked(attestor, key.key().id()) : index);
    }

    /** This state with the attestor's key revoked, if it has one by that id. */
    public AttestationState withRevoked(String attestor, String keyId) {
        TrustedKey k = keys.getOrDefault(attestor, Map.of()).get(keyId);
        return k == null ? this : withKey(attestor, new TrustedKey(k.key(), true));
    }

    /** This state with the attestations indexed. */
    public AttestationState withAttestations(Collection<VerifiedAttestation> added) {
        AttestationIndex next = index.withAttestations(added);
        return next == index ? this : new AttestationState(keys, notes, next);
    }

    /** This state without the index entries these removals name (retention's). */
    AttestationState withoutDigests(Collection<AttestationIndex.Removal> removed) {
        AttestationIndex next = index.withoutDigests(removed);
        return next == index ? this : new AttestationState(keys, notes, next);
    }
}
