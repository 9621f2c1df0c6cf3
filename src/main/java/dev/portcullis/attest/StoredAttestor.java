package dev.portcullis.attest;

import java.time.Instant;
import java.util.List;

/**
 * An attestor as stored, with the Grafeas note it is bound to ("" for none) and every key it has had (a
 * revoked one keeps its place, with the time).
 */
public record StoredAttestor(String name, String note, String noteReference, Instant createdAt, List<Key> keys) {
    public StoredAttestor {
        keys = List.copyOf(keys);
    }

    /** One key: {@code kind} PGP or PKIX, the algorithm of a PKIX key ("" for PGP), the public material as given. */
    public record Key(String id, String kind, String algorithm, String material, Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }
}
