package dev.portcullis.attest;

import dev.portcullis.image.Digest;
import java.time.Instant;
import java.util.Collection;

/**
 * When a policy evaluation last looked each attested digest up, in memory only: what retention of
 * unasked attestations reads. Compact: a digest never asked about since the start takes nothing (its
 * last ask counts as the start), an asked one a slot of a long (its key's first word) and an int
 * (seconds since the start) in a table at most half full, 24 to 48 bytes. Striped, so evaluations on
 * many threads rarely wait on one another; a lookup is a few array reads under an uncontended lock.
 */
public final class AskedDigests {
    /** Records nothing: retention is off, and evaluations pay nothing for it. */
    public static final AskedDigests NOT_KEPT = new AskedDigests(Instant.EPOCH, false);

    private static final int STRIPES = 256;
    private final Instant start;
    private final boolean kept;
    private final Stripe[] stripes;

    private AskedDigests(Instant start, boolean kept) {
        this.start = start;
        this.kept = kept;
        this.stripes = new Stripe[kept ? STRIPES : 0];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** Asks counted from {@code start}: a digest not asked about since counts as asked about then. */
    public static AskedDigests since(Instant start) {
        return new AskedDigests(start, true);
    }

    /**
     * Notes that an evaluation looked this digest up in {@code index} at {@code now}; a digest the index
     * holds no attestation of is not noted (nothing of it to keep), so this holds at most the index's digests.
     */
    public void asked(AttestationIndex index, Digest digest, Instant now) {
        if (kept) {
            long[] key = AttestationIndex.key(digest);
            if (index.holdsKey(key)) {
                long word = word(key);
                stripe(word).put(word, seconds(now));
            }
        }
    }

    /** Whether this digest (its index key) was looked up at or after {@code since}; the start counts as an ask. */
    boolean askedSince(long[] key, Instant since) {
        if (!start.isBefore(since)) {
            return true;
        }
        long word = word(key);
        return kept && stripe(word).get(word) >= seconds(since);
    }

    /** Forgets these digests (their attestations were removed): a later attestation of one starts afresh. */
    void forget(Collection<long[]> keys) {
        if (kept) {
            for (long[] key : keys) {
                long word = word(key);
                stripe(word).remove(word);
            }
        }
    }

    // Seconds since the start, never below 1 (0 marks "not asked since the start"), capped to an int
    // (68 years after a start).
    private int seconds(Instant t) {
        long s = t.getEpochSecond() - start.getEpochSecond();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, s));
    }

    // A 64-bit slice of a cryptographic digest: two digests sharing one are as if asked together, which
    // only ever keeps an attestation longer. 0 marks an empty slot, so it is read as 1.
    private static long word(long[] key) {
        return key[0] == 0 ? 1 : key[0];
    }

    private Stripe stripe(long word) {
        return stripes[(int) (word >>> 56) & (STRIPES - 1)];
    }

    /** An open-addressing map of word to seconds, linear probing, at most half full. */
    private static final class Stripe {
        private long[] words = new long[16];
        private int[] secs = new int[16];
        private int size;

        synchronized void put(long word, int s) {
            int i = slot(words, word);
            if (words[i] == word) {
                if (secs[i] < s) {
                    secs[i] = s;
                }
                return;
            }
            words[i] = word;
            secs[i] = s;
            if (++size * 2 > words.length) {
                grow(words.length * 2);
            }
        }

        synchronized int get(long word) {
            int i = slot(words, word);
            return words[i] == word ? secs[i] : 0;
        }

        // Removal from linear probing: rebuild without the word (retention is rare; asks are not).
        synchronized void remove(long word) {
            int i = slot(words, word);
            if (words[i] == word) {
                words[i] = 0;
                size--;
                grow(words.length);
            }
        }

        private void grow(int capacity) {
            long[] oldWords = words;
            int[] oldSecs = secs;
            words = new long[capacity];
            secs = new int[capacity];
            for (int i = 0; i < oldWords.length; i++) {
                if (oldWords[i] != 0) {
                    int j = slot(words, oldWords[i]);
                    words[j] = oldWords[i];
                    secs[j] = oldSecs[i];
                }
            }
        }

        private static int slot(long[] words, long word) {
            int mask = words.length - 1;
            int i = (int) (word ^ (word >>> 32)) & mask;
            while (words[i] != 0 && words[i] != word) {
                i = (i + 1) & mask;
            }
            return i;
        }
    }
}
