package dev.portcullis.attest;

import dev.portcullis.image.Digest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verified attestations by image digest, and the revoked key ids: what the policy reads on the
 * admission path, without I/O. Immutable: a change makes a new index (sharing the shards it does not
 * touch), so a reader holds one consistent index for a whole decision. Compact: per attestation only
 * what a decision reads (digest, who signed, when), in flat arrays ({@link IndexShard}), about 50
 * bytes each; payloads, signatures and repositories stay in the store.
 */
public final class AttestationIndex {
    /** No attestations, no revocations. */
    public static final AttestationIndex EMPTY = new AttestationIndex(new IndexShard[1 << 14], List.of(), Map.of(),
            Map.of(), 0);
    // Many small shards: a batch of 1,000 copies about 1,000 of them, a few kilobytes each even at
    // millions of attestations, where few large shards would copy most of the index per batch.
    static final int SHARDS = 1 << 14;   // as EMPTY has

    private final IndexShard[] shards;   // null: empty
    // Who signed, by the int an entry holds: a handful of attestor and key pairs shared by every entry.
    private final List<Signer> signers;
    private final Map<Signer, Integer> signerIds;
    // By attestor: a key id names a key within one attestor, and the same key may be trusted by several.
    private final Map<String, Set<String>> revokedKeys;
    private final int size;

    /** Who signed: an attestor and one of its keys. */
    record Signer(String attestor, String keyId) {}

    /** An entry about to be added to a shard. */
    private record Pending(long[] key, int signer, long micros) {
        boolean same(Pending o) {
            return Arrays.equals(key, o.key) && signer == o.signer && micros == o.micros;
        }
    }

    private AttestationIndex(IndexShard[] shards, List<Signer> signers, Map<Signer, Integer> signerIds,
                             Map<String, Set<String>> revokedKeys, int size) {
        this.shards = shards;
        this.signers = signers;
        this.signerIds = signerIds;
        this.revokedKeys = revokedKeys;
        this.size = size;
    }

    /** An index of shards built whole ({@link IndexBuilder}), without revocations. */
    static AttestationIndex of(IndexShard[] shards, List<Signer> signers, Map<Signer, Integer> signerIds, int size) {
        if (shards.length != SHARDS) {
            throw new IllegalArgumentException("an index has " + SHARDS + " shards");
        }
        return new AttestationIndex(shards, signers, signerIds, Map.of(), size);
    }

    /** This index with the attestations added; one it holds already (same digest, attestor, key and time) is not added twice. */
    public AttestationIndex withAttestations(Collection<VerifiedAttestation> added) {
        List<Signer> nextSigners = signers;
        Map<Signer, Integer> nextIds = signerIds;
        Map<Integer, List<Pending>> byShard = new HashMap<>();
        for (VerifiedAttestation a : added) {
            Signer who = new Signer(a.attestor(), a.keyId());
            Integer id = nextIds.get(who);
            if (id == null) {
                if (nextSigners == signers) {
                    nextSigners = new ArrayList<>(signers);
                    nextIds = new HashMap<>(signerIds);
                }
                id = nextSigners.size();
                nextSigners.add(who);
                nextIds.put(who, id);
            }
            long[] key = key(a.artifact().digest());
            long micros = micros(a.createdAt());
            int s = shard(key);
            IndexShard shard = shards[s] == null ? IndexShard.EMPTY : shards[s];
            List<Pending> pending = byShard.computeIfAbsent(s, x -> new ArrayList<>());
            Pending p = new Pending(key, id, micros);
            if (!shard.contains(key, id, micros) && pending.stream().noneMatch(p::same)) {
                pending.add(p);
            }
        }
        int n = size;
        IndexShard[] next = null;
        for (Map.Entry<Integer, List<Pending>> e : byShard.entrySet()) {
            List<Pending> p = e.getValue();
            if (p.isEmpty()) {
                continue;
            }
            long[][] keys = new long[p.size()][];
            int[] who = new int[p.size()];
            long[] micros = new long[p.size()];
            for (int i = 0; i < p.size(); i++) {
                keys[i] = p.get(i).key();
                who[i] = p.get(i).signer();
                micros[i] = p.get(i).micros();
            }
            if (next == null) {
                next = shards.clone();
            }
            int s = e.getKey();
            next[s] = (shards[s] == null ? IndexShard.EMPTY : shards[s]).with(keys, who, micros, p.size());
            n += p.size();
        }
        return next == null ? this : new AttestationIndex(next, nextSigners == signers ? signers : List.copyOf(nextSigners),
                nextIds == signerIds ? signerIds : Map.copyOf(nextIds), revokedKeys, n);
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
        return new AttestationIndex(shards, signers, signerIds, Map.copyOf(next), size);
    }

    /**
     * This index without anything of the attestor (its attestor was deleted). Walks every shard:
     * deletions are rare, and a new attestor by the same name must not inherit a single attestation.
     */
    public AttestationIndex withoutAttestor(String attestor) {
        java.util.BitSet gone = new java.util.BitSet();
        for (int id = 0; id < signers.size(); id++) {
            if (signers.get(id).attestor().equals(attestor)) {
                gone.set(id);
            }
        }
        IndexShard[] next = shards;
        int n = size;
        if (!gone.isEmpty()) {
            for (int s = 0; s < SHARDS; s++) {
                if (shards[s] == null) {
                    continue;
                }
                IndexShard kept = shards[s].without(gone::get);
                if (kept != shards[s]) {
                    if (next == shards) {
                        next = shards.clone();
                    }
                    n -= shards[s].size() - kept.size();
                    next[s] = kept.size() == 0 ? null : kept;
                }
            }
        }
        Map<String, Set<String>> revoked = new HashMap<>(revokedKeys);
        revoked.remove(attestor);
        // The signer table keeps the attestor's pairs (no entry points at them any more): a new attestor
        // of that name reuses them, with nothing of the old one's attestations.
        return new AttestationIndex(next, signers, signerIds, Map.copyOf(revoked), n);
    }

    /** A digest (its key) whose every entry, of any attestor, was made before a time; with those entries' times and attestors. */
    record Stale(long[] key, long[] micros, Set<String> attestors) {}

    /** Entries of a digest (its key) made before {@code beforeMicros} are to go. */
    record Removal(long[] key, long beforeMicros) {}

    /**
     * At most {@code max} digests, in shard order, whose newest entry of any attestor is older than
     * {@code cutoffMicros} and that {@code keep} does not keep (asked about since, say).
     */
    List<Stale> stale(long cutoffMicros, java.util.function.Predicate<long[]> keep, int max) {
        List<Stale> out = new ArrayList<>();
        for (int s = 0; s < SHARDS && out.size() < max; s++) {
            IndexShard shard = shards[s];
            int n = shard == null ? 0 : shard.size();
            for (int i = 0; i < n && out.size() < max; ) {
                long[] key = shard.keyOf(i);
                int j = i;
                long newest = Long.MIN_VALUE;
                for (; shard.keyAt(j, key); j++) {
                    newest = Math.max(newest, shard.microsAt(j));
                }
                if (newest < cutoffMicros && !keep.test(key)) {
                    long[] micros = new long[j - i];
                    Set<String> attestors = new HashSet<>();
                    for (int k = i; k < j; k++) {
                        micros[k - i] = shard.microsAt(k);
                        attestors.add(signers.get(shard.signerAt(k)).attestor());
                    }
                    out.add(new Stale(key, Arrays.stream(micros).distinct().toArray(), Set.copyOf(attestors)));
                }
                i = j;
            }
        }
        return out;
    }

    /** This index without the entries the removals name (a digest's, made before its time); every other entry stays. */
    AttestationIndex withoutDigests(Collection<Removal> removals) {
        Map<Integer, List<Removal>> byShard = new HashMap<>();
        for (Removal r : removals) {
            byShard.computeIfAbsent(shard(r.key()), x -> new ArrayList<>()).add(r);
        }
        IndexShard[] next = shards;
        int n = size;
        for (Map.Entry<Integer, List<Removal>> e : byShard.entrySet()) {
            IndexShard shard = shards[e.getKey()];
            if (shard == null) {
                continue;
            }
            IndexShard kept = shard.withoutEntries(i -> e.getValue().stream()
                    .anyMatch(r -> shard.keyAt(i, r.key()) && shard.microsAt(i) < r.beforeMicros()));
            if (kept != shard) {
                if (next == shards) {
                    next = shards.clone();
                }
                n -= shard.size() - kept.size();
                next[e.getKey()] = kept.size() == 0 ? null : kept;
            }
        }
        return next == shards ? this : new AttestationIndex(next, signers, signerIds, revokedKeys, n);
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
        long[] key = key(digest);
        IndexShard shard = shards[shard(key)];
        if (shard == null) {
            return new Lookup(0, 0, 0);
        }
        Set<String> revokedHere = revokedKeys.getOrDefault(attestor, Set.of());
        for (int i = shard.first(key); shard.keyAt(i, key); i++) {
            Signer who = signers.get(shard.signerAt(i));
            if (!who.attestor().equals(attestor)) {
                continue;
            }
            if (revokedHere.contains(who.keyId())) {
                revoked++;
            } else if (Instant.EPOCH.plus(shard.microsAt(i), ChronoUnit.MICROS).isBefore(notBefore)) {
                expired++;
            } else {
                valid++;
            }
        }
        return new Lookup(valid, revoked, expired);
    }

    /** Whether this attestor and key have vouched for this digest, revoked or not: the write side's test for a possible repeat. */
    boolean holds(String attestor, String keyId, Digest digest) {
        Integer id = signerIds.get(new Signer(attestor, keyId));
        long[] key = key(digest);
        IndexShard shard = shards[shard(key)];
        if (id == null || shard == null) {
            return false;
        }
        for (int i = shard.first(key); shard.keyAt(i, key); i++) {
            if (shard.signerAt(i) == id) {
                return true;
            }
        }
        return false;
    }

    /** Whether any attestor has vouched for the digest of this key. */
    boolean holdsKey(long[] key) {
        IndexShard shard = shards[shard(key)];
        return shard != null && shard.keyAt(shard.first(key), key);
    }

    /** Counts for one attestor and digest. */
    public record Lookup(int valid, int revoked, int expired) {}

    /**
     * What the attestations of this index keep on the heap, from its arrays' lengths: the figure a
     * memory budget is checked against, without walking the heap.
     */
    public long residentBytes() {
        long b = 16 + 4L * shards.length;
        for (IndexShard s : shards) {
            b += s == null ? 0 : s.bytes();
        }
        return b;
    }

    public int size() {
        return size;
    }

    // A sha256 digest is its own 32 bytes; a sha512 one is keyed by the SHA-256 of its text, which no
    // sha256 digest an attacker can choose collides with.
    static long[] key(Digest d) {
        byte[] raw = d.algorithm().equals("sha256") ? HexFormat.of().parseHex(d.hex()) : sha256(d.toString());
        ByteBuffer b = ByteBuffer.wrap(raw);
        return new long[] {b.getLong(), b.getLong(), b.getLong(), b.getLong()};
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    // The key is a cryptographic digest: its last bits are as spread as any hash of them.
    static int shard(long[] key) {
        return (int) key[3] & (SHARDS - 1);
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
