package dev.portcullis.attest;

import java.util.Arrays;

/**
 * One shard of the {@link AttestationIndex}, immutable and flat: per attestation five longs (the
 * digest's 32-byte key, then the time in epoch microseconds) and an int (who signed, an index into
 * the index's signer table), sorted by key so a lookup is a binary search. No object per attestation:
 * about 44 bytes each, where a map of records took over a kilobyte.
 */
final class IndexShard {
    static final int WORDS = 5;
    static final IndexShard EMPTY = new IndexShard(new long[0], new int[0]);

    private final long[] words;
    private final int[] signers;

    private IndexShard(long[] words, int[] signers) {
        this.words = words;
        this.signers = signers;
    }

    /**
     * A shard of {@code count} entries given unsorted (key words and micros in {@code words}, signers in
     * {@code signers}), sorted by key, signer and time; an entry given twice is held once.
     */
    static IndexShard sorted(long[] words, int[] signers, int count) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        if (count <= 256) {
            // A shard's share is about sixty entries a million: insertion into the sorted run, no boxing.
            for (int i = 1; i < count; i++) {
                int e = order[i];
                int j = i - 1;
                while (j >= 0 && compareEntries(words, signers, order[j], e) > 0) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = e;
            }
        } else {
            Integer[] boxed = Arrays.stream(order).boxed().toArray(Integer[]::new);
            Arrays.sort(boxed, (a, b) -> compareEntries(words, signers, a, b));
            for (int i = 0; i < count; i++) {
                order[i] = boxed[i];
            }
        }
        long[] w = new long[count * WORDS];
        int[] s = new int[count];
        int n = 0;
        for (int k = 0; k < count; k++) {
            int i = order[k];
            if (n > 0 && compareEntries(words, signers, order[k - 1], i) == 0) {
                continue;
            }
            System.arraycopy(words, i * WORDS, w, n * WORDS, WORDS);
            s[n++] = signers[i];
        }
        return n == count ? new IndexShard(w, s) : new IndexShard(Arrays.copyOf(w, n * WORDS), Arrays.copyOf(s, n));
    }

    private static int compareEntries(long[] words, int[] signers, int a, int b) {
        for (int j = 0; j < 4; j++) {
            int c = Long.compareUnsigned(words[a * WORDS + j], words[b * WORDS + j]);
            if (c != 0) {
                return c;
            }
        }
        int c = Integer.compare(signers[a], signers[b]);
        return c != 0 ? c : Long.compare(words[a * WORDS + 4], words[b * WORDS + 4]);
    }

    /** What this shard keeps on the heap: its two arrays with their headers, and itself. */
    long bytes() {
        return 16 + 16 + 8L * words.length + 16 + 4L * signers.length;
    }

    int size() {
        return signers.length;
    }

    /** Where the entries with this key start (or would start). */
    int first(long[] key) {
        int lo = 0;
        int hi = size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(words, mid, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    boolean keyAt(int i, long[] key) {
        return i < size() && compare(words, i, key) == 0;
    }

    int signerAt(int i) {
        return signers[i];
    }

    long microsAt(int i) {
        return words[i * WORDS + 4];
    }

    boolean contains(long[] key, int signer, long micros) {
        for (int i = first(key); keyAt(i, key); i++) {
            if (signers[i] == signer && microsAt(i) == micros) {
                return true;
            }
        }
        return false;
    }

    /** This shard with the entries added (key words, signer and micros of each); none may be held already. */
    IndexShard with(long[][] keys, int[] signerOf, long[] microsOf, int count) {
        long[] w = Arrays.copyOf(words, words.length + count * WORDS);
        int[] s = Arrays.copyOf(signers, signers.length + count);
        int n = size();
        for (int k = 0; k < count; k++) {
            // Insertion into the sorted run: a batch adds few entries to any one shard.
            int at = after(keys[k], w, n);
            System.arraycopy(w, at * WORDS, w, (at + 1) * WORDS, (n - at) * WORDS);
            System.arraycopy(s, at, s, at + 1, n - at);
            System.arraycopy(keys[k], 0, w, at * WORDS, 4);
            w[at * WORDS + 4] = microsOf[k];
            s[at] = signerOf[k];
            n++;
        }
        return new IndexShard(w, s);
    }

    /** This shard without the entries whose signer {@code drop} accepts; itself when there are none. */
    IndexShard without(java.util.function.IntPredicate drop) {
        return withoutEntries(i -> drop.test(signers[i]));
    }

    /** This shard without the entries at the places {@code dropAt} accepts; itself when there are none. */
    IndexShard withoutEntries(java.util.function.IntPredicate dropAt) {
        int kept = 0;
        for (int i = 0; i < size(); i++) {
            kept += dropAt.test(i) ? 0 : 1;
        }
        if (kept == size()) {
            return this;
        }
        long[] w = new long[kept * WORDS];
        int[] s = new int[kept];
        int j = 0;
        for (int i = 0; i < size(); i++) {
            if (!dropAt.test(i)) {
                System.arraycopy(words, i * WORDS, w, j * WORDS, WORDS);
                s[j++] = signers[i];
            }
        }
        return new IndexShard(w, s);
    }

    /** The key of the entry at {@code i}: the digest's four words. */
    long[] keyOf(int i) {
        return Arrays.copyOfRange(words, i * WORDS, i * WORDS + 4);
    }

    // After the entries with an equal key: the entries of one key stay in the order they came.
    private static int after(long[] key, long[] w, int n) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(w, mid, key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int compare(long[] w, int i, long[] key) {
        for (int j = 0; j < 4; j++) {
            int c = Long.compareUnsigned(w[i * WORDS + j], key[j]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
