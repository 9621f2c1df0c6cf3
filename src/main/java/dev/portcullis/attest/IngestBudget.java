package dev.portcullis.attest;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How much memory attestations may take before new ones are refused: the index's own size against a
 * budget, the heap in use after the last collection against 90% of the heap's limit, and the old
 * generation after its last collection against 90% of its own limit (where long-lived data such as
 * the index ends up: with the launcher's fixed young generation it is a fraction of the heap, full
 * while the heap as a whole looks far from it). Refusing
 * near the limit keeps decisions answering where an out-of-memory error would stop the process;
 * nothing acknowledged is lost, since a refused batch is not stored at all.
 */
public final class IngestBudget {
    /** The share of the heap's limit, in use after a collection, above which attestations are refused. */
    public static final double HEAP_LIMIT = 0.9;

    private final long indexBytes;
    private final LongSupplier heapUsedAfterGc;
    private final long heapMax;
    private final Supplier<MemoryUsage> oldAfterGc;   // null answer: no such pool, or its limit is unknown

    IngestBudget(long indexBytes, LongSupplier heapUsedAfterGc, long heapMax, Supplier<MemoryUsage> oldAfterGc) {
        if (indexBytes < 1) {
            throw new IllegalArgumentException("an attestation memory budget is at least one byte");
        }
        this.indexBytes = indexBytes;
        this.heapUsedAfterGc = heapUsedAfterGc;
        this.heapMax = heapMax;
        this.oldAfterGc = oldAfterGc;
    }

    /** A budget of {@code indexBytes} for the index, in this JVM's heap. */
    public static IngestBudget of(long indexBytes) {
        return new IngestBudget(indexBytes, IngestBudget::heapUsedAfterLastGc, Runtime.getRuntime().maxMemory(),
                IngestBudget::oldGenerationAfterLastGc);
    }

    /** The default budget: half the heap's limit for the index (at about 50 bytes an attestation). */
    public static IngestBudget halfTheHeap() {
        return of(Runtime.getRuntime().maxMemory() / 2);
    }

    /** Why a new attestation would be refused now, if it would. */
    public Optional<String> refusal(AttestationIndex index) {
        long held = index.residentBytes();
        if (held >= indexBytes) {
            return Optional.of(String.format(java.util.Locale.ROOT, "the attestation index holds %,d bytes, its budget is %,d bytes",
                    held, indexBytes));
        }
        long used = heapUsedAfterGc.getAsLong();
        if (heapMax > 0 && used > HEAP_LIMIT * heapMax) {
            return Optional.of(String.format(java.util.Locale.ROOT, "the heap holds %,d MB after collection, over %.0f%% of its %,d MB",
                    used >> 20, HEAP_LIMIT * 100, heapMax >> 20));
        }
        MemoryUsage old = oldAfterGc.get();
        if (old != null && old.getMax() > 0 && old.getUsed() > HEAP_LIMIT * old.getMax()) {
            return Optional.of(String.format(java.util.Locale.ROOT,
                    "the old generation holds %,d MB after collection, over %.0f%% of its %,d MB", old.getUsed() >> 20,
                    HEAP_LIMIT * 100, old.getMax() >> 20));
        }
        return Optional.empty();
    }

    // The serial collector's "Tenured Gen", the parallel one's "PS Old Gen", G1's "G1 Old Gen", ZGC's
    // "ZGC Old Generation"; a collector without one (single-generation ZGC) is judged by the whole heap.
    private static MemoryUsage oldGenerationAfterLastGc() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                    && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
                return pool.getCollectionUsage();
            }
        }
        return null;
    }

    // Live data only: what the last collection of each heap pool left, not garbage waiting for the next.
    private static long heapUsedAfterLastGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()) {
                MemoryUsage u = pool.getCollectionUsage();
                used += u == null ? 0 : u.getUsed();
            }
        }
        return used;
    }
}
