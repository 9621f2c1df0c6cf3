package dev.portcullis.registryauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Failed-login counts in fixed windows for at most {@code capacity} keys, with constant work and
 * memory per call whatever the keys: a key is a 128-bit digest (a 250-character name costs what a
 * short one does), and the table is kept in the order the windows began, so expired windows are
 * dropped from its head (two at most per call) and, when it is full, the window that began first
 * is evicted: the one closest to its end anyway. To push one window out before its time, an
 * attacker has to start {@code capacity} newer ones.
 */
final class FailureWindows {
    private static final int EXPIRE_PER_CALL = 2;

    /** A digest of the text a window is counted for. */
    record Key(long high, long low) {
        static Key of(String... parts) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            byte[] d = sha.digest();
            long high = 0;
            long low = 0;
            for (int i = 0; i < 8; i++) {
                high = high << 8 | (d[i] & 0xff);
                low = low << 8 | (d[i + 8] & 0xff);
            }
            return new Key(high, low);
        }
    }

    private static final class Window {
        final Instant end;
        int failures = 1;

        Window(Instant end) {
            this.end = end;
        }
    }

    private final int capacity;
    private final int limit;
    private final Duration length;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Key, Window> windows;
    private long work;   // entries looked up, added or removed: what a call costs, for tests

    FailureWindows(int capacity, int limit, Duration length) {
        if (capacity < 1 || limit < 1 || length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("capacity, limit and window length must be positive");
        }
        this.capacity = capacity;
        this.limit = limit;
        this.length = length;
        this.windows = new LinkedHashMap<>(capacity * 4 / 3 + 1);
    }

    /** How long the key stays refused, when its window holds {@code limit} failures and has not ended. */
    Optional<Duration> lockedFor(Key key, Instant now) {
        lock.lock();
        try {
            work++;
            Window w = windows.get(key);
            if (w == null || w.failures < limit || !now.isBefore(w.end)) {
                return Optional.empty();
            }
            return Optional.of(Duration.between(now, w.end));
        } finally {
            lock.unlock();
        }
    }

    /** Counts one failure; a key without a running window starts one at the tail. */
    void failed(Key key, Instant now) {
        lock.lock();
        try {
            expireHead(now);
            work++;
            Window w = windows.get(key);
            if (w != null && now.isBefore(w.end)) {
                w.failures++;
                return;
            }
            if (w != null) {
                windows.remove(key);   // ended: its new window goes to the tail, in order
                work++;
            } else if (windows.size() >= capacity) {
                Iterator<Window> oldest = windows.values().iterator();
                oldest.next();
                oldest.remove();
                work++;
            }
            windows.put(key, new Window(now.plus(length)));
        } finally {
            lock.unlock();
        }
    }

    void clear(Key key) {
        lock.lock();
        try {
            work++;
            windows.remove(key);
        } finally {
            lock.unlock();
        }
    }

    private void expireHead(Instant now) {
        Iterator<Window> it = windows.values().iterator();
        for (int i = 0; i < EXPIRE_PER_CALL && it.hasNext(); i++) {
            work++;
            if (now.isBefore(it.next().end)) {
                return;
            }
            it.remove();
        }
    }

    int size() {
        lock.lock();
        try {
            return windows.size();
        } finally {
            lock.unlock();
        }
    }

    long work() {
        lock.lock();
        try {
            return work;
        } finally {
            lock.unlock();
        }
    }
}
