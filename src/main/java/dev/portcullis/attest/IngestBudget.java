package dev.portcullis.attest;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How much memory attestations may take before new ones are refused: the index's own size against a
 * budget, and the heap in use after the last collection against 90% of the heap's limit. Refusing
 * near the limit keeps decisions answering where an out-of-memory error would stop the process;
 * nothing acknowledged is lost, since a refused batch is not stored at all.
 */
public final class IngestBudget {
    /** The share of the heap's limit, in use after a collection, above which attestations are refused. */
    public static final double HEAP_LIMIT = 0.9;

    private final long indexBytes;
    private final LongSupplier heapUsedAfterGc;
    private final long heapMax;

    IngestBudget(long indexBytes, LongSupplier heapUsedAfterGc, long heapMax) {
        if (indexBytes < 1) {
            throw new IllegalArgumentException("an attestation memory budget is at least one byte");
        }
        this.indexBytes = indexBytes;
        this.heapUsedAfterGc = heapUsedAfterGc;
        this.heapMax = heapMax;
    }

    /** A budget of {@code indexBytes} for the index, in this JVM's heap. */
    public static IngestBudget of(long indexBytes) {
        return new IngestBudget(indexBytes, IngestBudget::heapUsedAfterLastGc, Runtime.getRuntime().maxMemory());
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
        return Optional.empty();
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
