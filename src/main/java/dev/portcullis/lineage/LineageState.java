package dev.portcullis.lineage;

import dev.portcullis.image.Digest;
import dev.portcullis.image.Manifest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What lineage knows, in memory: the images and indexes read, what each repository holds, the bans;
 * changed only by the change feed's handlers (one at a time); the first read after a change builds a
 * new {@link LineageIndex}, which decisions then read without a lock.
 */
final class LineageState {
    private final Map<Digest, ImageNode> images = new HashMap<>();
    private final Map<Digest, Manifest.Index> indexes = new HashMap<>();
    private final Map<String, Map<String, Digest>> holdings = new HashMap<>();
    private final Map<String, Ban> bans = new HashMap<>();
    private final AtomicReference<LineageIndex> current = new AtomicReference<>(LineageIndex.EMPTY);
    private final String ownerLabel;
    private volatile boolean dirty;

    LineageState(String ownerLabel) {
        this.ownerLabel = ownerLabel;
    }

    /** The index of now: built again on the first read after a change, so that a burst of events builds it once. */
    LineageIndex index() {
        if (dirty) {
            synchronized (this) {
                if (dirty) {
                    List<Ban> ordered = bans.values().stream().sorted(java.util.Comparator.comparing(Ban::at).thenComparing(Ban::id))
                            .toList();
                    current.set(new LineageIndex(images, indexes, holdings, ordered, ownerLabel));
                    dirty = false;
                }
            }
        }
        return current.get();
    }

    synchronized boolean knows(Digest d) {
        return images.containsKey(d) || indexes.containsKey(d);
    }

    /** What a repository holds now (live names). */
    synchronized Map<String, Digest> held(String repository) {
        return holdings.getOrDefault(repository, Map.of());
    }

    synchronized void putImage(ImageNode n) {
        images.put(n.digest(), n);
    }

    synchronized void putIndex(Manifest.Index i) {
        indexes.put(i.digest(), i);
    }

    /** Replaces what a repository holds (live names only). */
    synchronized void hold(String repository, Map<String, Digest> names) {
        if (names.isEmpty()) {
            holdings.remove(repository);
        } else {
            holdings.put(repository, Map.copyOf(names));
        }
    }

    synchronized void putBan(Ban b) {
        bans.put(b.id(), b);
    }

    synchronized void removeBan(String id) {
        bans.remove(id);
    }

    synchronized void clear() {
        images.clear();
        indexes.clear();
        holdings.clear();
        bans.clear();
    }

    /** Marks the index out of date; called once per batch of changes. */
    synchronized void publish() {
        dirty = true;
    }
}
