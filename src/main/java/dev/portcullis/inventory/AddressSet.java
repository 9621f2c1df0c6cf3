package dev.portcullis.inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of addresses and CIDR blocks, built once per refresh: the entries become sorted,
 * merged ranges (IPv4 as sign-flipped ints, IPv6 as pairs of longs) searched by bisection, so a
 * look-up is a few dozen comparisons on flat arrays and never allocates.
 */
public final class AddressSet {
    /** The set with nothing in it: what a set holds before its first refresh and once it is too old. */
    public static final AddressSet EMPTY = of(List.of());

    private final int entries;
    private final int[] v4Starts;
    private final int[] v4Ends;
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final long[] v6EndHi;
    private final long[] v6EndLo;

    private AddressSet(int entries, int[] v4Starts, int[] v4Ends, long[][] v6) {
        this.entries = entries;
        this.v4Starts = v4Starts;
        this.v4Ends = v4Ends;
        this.v6StartHi = v6[0];
        this.v6StartLo = v6[1];
        this.v6EndHi = v6[2];
        this.v6EndLo = v6[3];
    }

    /** The set of these entries (duplicates and overlaps merged). */
    public static AddressSet of(Collection<Cidr> cidrs) {
        List<long[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (Cidr c : cidrs) {
            byte[] n = c.network();
            if (n.length == 4) {
                long start = v4Value(n) & 0xffffffffL;
                v4.add(new long[] {start, start + (1L << (32 - c.prefix())) - 1});
            } else {
                long hi = longAt(n, 0);
                long lo = longAt(n, 8);
                int host = 128 - c.prefix();
                long hiEnd = host >= 64 ? hi | (host == 128 ? -1L : (1L << (host - 64)) - 1) : hi;
                long loEnd = host >= 64 ? -1L : lo | (host == 0 ? 0 : (1L << host) - 1);
                v6.add(new long[] {hi, lo, hiEnd, loEnd});
            }
        }
        return new AddressSet(cidrs.size(), v4Ranges(v4, true), v4Ranges(v4, false), v6Ranges(v6));
    }

    /** How many entries it was built from (addresses and blocks, before merging). */
    public int entries() {
        return entries;
    }

    /** Whether a 4- or 16-byte address is in the set. */
    public boolean contains(byte[] address) {
        if (address.length == 4) {
            return containsV4(v4Value(address));
        }
        return address.length == 16 && containsV6(longAt(address, 0), longAt(address, 8));
    }

    /** Whether the IPv4 address, as a big-endian int, is in the set. */
    public boolean containsV4(int address) {
        int x = address ^ Integer.MIN_VALUE;
        int lo = 0;
        int hi = v4Starts.length - 1;
        // The last range starting at or below x is the only one that can hold it (ranges do not overlap).
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (v4Starts[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && x <= v4Ends[hi];
    }

    private boolean containsV6(long aHi, long aLo) {
        int lo = 0;
        int hi = v6StartHi.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(v6StartHi[mid], v6StartLo[mid], aHi, aLo) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && compare(aHi, aLo, v6EndHi[hi], v6EndLo[hi]) <= 0;
    }

    static int v4Value(byte[] a) {
        return (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
    }

    private static long longAt(byte[] a, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = v << 8 | (a[i] & 0xff);
        }
        return v;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    // Sorted, merged (overlapping or adjacent) ranges; stored sign-flipped so that int comparison is unsigned.
    private static int[] v4Ranges(List<long[]> ranges, boolean starts) {
        List<long[]> merged = new ArrayList<>();
        ranges.stream().sorted((a, b) -> Long.compare(a[0], b[0])).forEach(r -> {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(r.clone());
            }
        });
        int[] out = new int[merged.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) merged.get(i)[starts ? 0 : 1] ^ Integer.MIN_VALUE;
        }
        return out;
    }

    private static long[][] v6Ranges(List<long[]> ranges) {
        List<long[]> merged = new ArrayList<>();
        ranges.stream().sorted((a, b) -> compare(a[0], a[1], b[0], b[1])).forEach(r -> {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && compare(r[0], r[1], last[2], last[3]) <= 0) {
                if (compare(r[2], r[3], last[2], last[3]) > 0) {
                    last[2] = r[2];
                    last[3] = r[3];
                }
            } else {
                merged.add(r.clone());
            }
        });
        long[][] out = new long[4][merged.size()];
        for (int i = 0; i < merged.size(); i++) {
            for (int k = 0; k < 4; k++) {
                out[k][i] = merged.get(i)[k];
            }
        }
        return out;
    }
}
