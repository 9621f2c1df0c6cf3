package dev.portcullis.attest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link AttestationIndex} from the stored entries in one pass: each shard's arrays are
 * filled as the entries come, then sorted once. A change to a running index copies every shard it
 * touches instead, which at a million entries read in slices copied the index a hundred times over.
 */
final class IndexBuilder {
    private final long[][] words = new long[AttestationIndex.SHARDS][];
    private final int[][] signers = new int[AttestationIndex.SHARDS][];
    private final int[] counts = new int[AttestationIndex.SHARDS];
    private final int perShard;
    private final List<AttestationIndex.Signer> signerList = new ArrayList<>();
    private final Map<AttestationIndex.Signer, Integer> signerIds = new HashMap<>();
    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class,
            java.nio.ByteOrder.BIG_ENDIAN);
    private final long[] key = new long[4];

    /**
     * A builder sized for about {@code expected} entries: each shard's arrays start at its share and
     * grow by an eighth, so a start at the memory budget holds little more than the index itself.
     */
    IndexBuilder(long expected) {
        this.perShard = (int) Math.min(1 << 16, expected / AttestationIndex.SHARDS + 1);
    }

    /** The id entries of this attestor and key are added with. */
    int signer(String attestor, String keyId) {
        return signerIds.computeIfAbsent(new AttestationIndex.Signer(attestor, keyId), s -> {
            signerList.add(s);
            return signerList.size() - 1;
        });
    }

    /** Adds an entry: a {@link #signer} id, the digest's raw bytes as stored, the time in epoch microseconds. */
    void add(int signer, byte[] digest, long micros) {
        add(signer, digest, 0, digest.length, micros);
    }

    /** As {@link #add(int, byte[], long)}, the digest being {@code length} bytes of {@code buf} from {@code offset}. */
    void add(int signer, byte[] buf, int offset, int length, long micros) {
        if (length == 32) {
            for (int i = 0; i < 4; i++) {
                key[i] = (long) LONGS.get(buf, offset + 8 * i);
            }
        } else {
            byte[] raw = Arrays.copyOfRange(buf, offset, offset + length);
            System.arraycopy(AttestationIndex.key(AttestationEntryRows.digest(raw)), 0, key, 0, 4);
        }
        int s = AttestationIndex.shard(key);
        int n = counts[s];
        if (words[s] == null) {
            words[s] = new long[perShard * IndexShard.WORDS];
            signers[s] = new int[perShard];
        } else if (n == signers[s].length) {
            int grown = n + Math.max(4, Math.max(perShard, n) / 8);   // geometric: a crowded shard is no quadratic copy
            words[s] = Arrays.copyOf(words[s], grown * IndexShard.WORDS);
            signers[s] = Arrays.copyOf(signers[s], grown);
        }
        System.arraycopy(key, 0, words[s], n * IndexShard.WORDS, 4);
        words[s][n * IndexShard.WORDS + 4] = micros;
        signers[s][n] = signer;
        counts[s] = n + 1;
    }

    /** The index of every entry added; an entry given twice (same digest, signer and time) is held once. */
    AttestationIndex build() {
        IndexShard[] shards = new IndexShard[AttestationIndex.SHARDS];
        int size = 0;
        for (int s = 0; s < shards.length; s++) {
            if (counts[s] > 0) {
                shards[s] = IndexShard.sorted(words[s], signers[s], counts[s]);
                size += shards[s].size();
                words[s] = null;   // the shard holds its own arrays: this copy may go before the next is made
                signers[s] = null;
            }
        }
        return AttestationIndex.of(shards, List.copyOf(signerList), Map.copyOf(signerIds), size);
    }
}
