package dev.portcullis.attest;

import dev.portcullis.image.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Verified attestations in memory, by image digest, and the revoked key ids: what the policy reads on
 * the admission path, without I/O. Writers are ingest and revocation; readers never block.
 */
public final class AttestationIndex {
    private final Map<Digest, List<VerifiedAttestation>> byDigest = new ConcurrentHashMap<>();
    // By attestor: a key id names a key within one attestor, and the same key may be trusted by several.
    private final Map<String, Set<String>> revokedKeys = new ConcurrentHashMap<>();

    public void add(VerifiedAttestation a) {
        byDigest.computeIfAbsent(a.artifact().digest(), d -> new CopyOnWriteArrayList<>()).add(a);
    }

    /** From now on, this attestor's attestations signed only by this key stop counting; other attestors' do not change. */
    public void revoke(String attestor, String keyId) {
        revokedKeys.computeIfAbsent(attestor, a -> ConcurrentHashMap.newKeySet()).add(keyId);
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
        for (VerifiedAttestation a : byDigest.getOrDefault(digest, List.of())) {
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
        return byDigest.values().stream().mapToInt(List::size).sum();
    }
}
