package dev.portcullis.workload;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pods running now, by uid, as the watch last saw them; read by whoever re-checks them. Its
 * version changes with every change, so a reader knows when to look again.
 */
public final class PodInventory {
    private final ConcurrentHashMap<String, RunningPod> pods = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private volatile boolean synced;

    /** A pod seen (added or changed). */
    public void put(RunningPod pod) {
        pods.put(pod.uid(), pod);
        version.incrementAndGet();
    }

    /** A pod gone. */
    public void remove(String uid) {
        if (pods.remove(uid) != null) {
            version.incrementAndGet();
        }
    }

    /** The first full list has been read: an empty inventory means no pods, not "not known yet". */
    public void markSynced() {
        synced = true;
        version.incrementAndGet();
    }

    public boolean synced() {
        return synced;
    }

    /** Changes so far: equal versions, the same pods. */
    public long version() {
        return version.get();
    }

    /** The pods now, in no particular order. */
    public List<RunningPod> pods() {
        return List.copyOf(pods.values());
    }
}
