package dev.portcullis.attest;

import dev.portcullis.image.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verified attestations by image digest, and the revoked key ids: what the policy reads on the
 * admission path, without I/O. Immutable: a change makes a new index (sharing what it does not touch),
 * so a reader holds one consistent index for a whole decision.
 */
public final class AttestationIndex {
    /** No attestations, no revocations. */
    public static final AttestationIndex EMPTY = new AttestationIndex(emptyShards(), Map.of(), 0);
    // Digests spread over shards: adding an attestation copies one shard, not the whole index.
    private static final int SHARDS = 256;

    private final Map<Digest, List<VerifiedAttestation>>[] shards;
    // By attestor: a key id names a key within one attestor, and the same key may be trusted by several.
    private final Map<String, Set<String>> revokedKeys;
    private final int size;

    private AttestationIndex(Map<Digest, List<VerifiedAttestation>>[] shards, Map<String, Set<String>> revokedKeys, int size) {
        this.shards = shards;
        this.revokedKeys = revokedKeys;
        this.size = size;
    }

    /** This index with the attestations added; one it holds already is not added twice. */
    public AttestationIndex withAttestations(Collection<VerifiedAttestation> added) {
        Map<Digest, List<VerifiedAttestation>>[] next = null;
        boolean[] copied = new boolean[SHARDS];
        int n = size;
        for (VerifiedAttestation a : added) {
            Digest d = a.artifact().digest();
            int s = shard(d);
            Map<Digest, List<VerifiedAttestation>>[] from = next == null ? shards : next;
            List<VerifiedAttestation> current = from[s].getOrDefault(d, List.of());
            if (current.contains(a)) {
                continue;
            }
            if (next == null) {
                next = Arrays.copyOf(shards, SHARDS);
            }
            if (!copied[s]) {
                next[s] = new HashMap<>(next[s]);
                copied[s] = true;
            }
            List<VerifiedAttestation> grown = new ArrayList<>(current.size() + 1);
            grown.addAll(current);
            grown.add(a);
            next[s].put(d, List.copyOf(grown));
            n++;
        }
        return next == null ? this : new AttestationIndex(next, revokedKeys, n);
    }

    /** This index where this attestor's attestations signed only by this key stop counting; other attestors' do not change. */
    public AttestationIndex withRevoked(String attestor, String keyId) {
        if (isRevoked(attestor, keyId)) {
            return this;
        }
        Map<String, Set<String>> next = new HashMap<>(revokedKeys);
        Set<String> keys = new HashSet<>(next.getOrDefault(attestor, Set.of()));
        keys.add(keyId);
        next.put(attestor, Set.copyOf(keys));
        return new AttestationIndex(shards, Map.copyOf(next), size);
    }

    /**
     * This index without anything of the attestor (its attestor was deleted). Walks every shard:
     * deletions are rare, and a new attestor by the same name must not inherit a single attestation.
     */
    public AttestationIndex withoutAttestor(String attestor) {
        Map<Digest, List<VerifiedAttestation>>[] next = Arrays.copyOf(shards, SHARDS);
        int n = size;
        for (int s = 0; s < SHARDS; s++) {
            Map<Digest, List<VerifiedAttestation>> shard = null;
            for (Map.Entry<Digest, List<VerifiedAttestation>> e : shards[s].entrySet()) {
                List<VerifiedAttestation> kept = e.getValue().stream().filter(a -> !a.attestor().equals(attestor)).toList();
                if (kept.size() != e.getValue().size()) {
                    if (shard == null) {
                        shard = new HashMap<>(shards[s]);
                    }
                    n -= e.getValue().size() - kept.size();
                    if (kept.isEmpty()) {
                        shard.remove(e.getKey());
                    } else {
                        shard.put(e.getKey(), kept);
                    }
                }
            }
            if (shard != null) {
                next[s] = shard;
            }
        }
        Map<String, Set<String>> revoked = new HashMap<>(revokedKeys);
        revoked.remove(attestor);
        return new AttestationIndex(next, Map.copyOf(revoked), n);
    }

    public boolean isRevoked(String attestor, String keyId) {
        Set<String> revoked = revokedKeys.get(attestor);
        return revoked != null && revoked.contains(keyId);
    }

    /** What an attestor vouched for this digest, split into the ones that count and why the others do not. */
    public Lookup lookup(String attestor, Digest digest, Instant notBefore) {
        int revoked = 0;
        int expired = 0;
        int valid = 0;
        Set<String> revokedHere = revokedKeys.getOrDefault(attestor, Set.of());
        for (VerifiedAttestation a : shards[shard(digest)].getOrDefault(digest, List.of())) {
            if (!a.attestor().equals(attestor)) {
                continue;
            }
            if (revokedHere.contains(a.keyId())) {
                revoked++;
            } else if (a.createdAt().isBefore(notBefore)) {
                expired++;
            } else {
                valid++;
            }
        }
        return new Lookup(valid, revoked, expired);
    }

    /** Counts for one attestor and digest. */
    public record Lookup(int valid, int revoked, int expired) {}

    public int size() {
        return size;
    }

    private static int shard(Digest d) {
        int h = d.hashCode();
        return (h ^ (h >>> 16)) & (SHARDS - 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<Digest, List<VerifiedAttestation>>[] emptyShards() {
        Map<Digest, List<VerifiedAttestation>>[] s = new Map[SHARDS];
        Arrays.fill(s, Map.of());
        return s;
    }
}
