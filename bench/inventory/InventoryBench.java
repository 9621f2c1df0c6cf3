import dev.portcullis.inventory.AddressSet;
import dev.portcullis.inventory.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Membership look-ups on one thread against 100,000 entries in 20 sets (95% single IPv4 addresses,
 * 5% /24 blocks, spread at random over 10.0.0.0/8): in the one set an ACL entry names, and across
 * all 20 (what GET /inventory/v1/ip answers). Half the addresses asked are in the set. Prints look-ups/s.
 */
public class InventoryBench {
    public static void main(String[] args) {
        int sets = 20;
        int total = 100_000;
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 3;
        SplittableRandom r = new SplittableRandom(42);
        List<List<Cidr>> entries = new ArrayList<>();
        for (int s = 0; s < sets; s++) {
            entries.add(new ArrayList<>());
        }
        int[] members = new int[total];
        for (int i = 0; i < total; i++) {
            int a = 0x0a000000 | r.nextInt(1 << 24);
            boolean block = r.nextInt(20) == 0;
            members[i] = a;
            entries.get(i % sets).add(new Cidr(bytes(a), block ? 24 : 32));
        }
        AddressSet[] built = new AddressSet[sets];
        long t0 = System.nanoTime();
        for (int s = 0; s < sets; s++) {
            built[s] = AddressSet.of(entries.get(s));
        }
        System.out.printf("built 20 sets of %d entries in %.1f ms%n", total / sets, (System.nanoTime() - t0) / 1e6);
        // Queries: the members of set 0 and as many random addresses (mostly misses).
        int n = 1 << 16;
        byte[][] queries = new byte[n][];
        for (int i = 0; i < n; i++) {
            queries[i] = bytes(i % 2 == 0 ? members[(r.nextInt(total / sets)) * sets] : 0x0a000000 | r.nextInt(1 << 24));
        }
        run("one set (an ACL entry)", seconds, queries, q -> built[0].contains(q) ? 1 : 0);
        run("all 20 sets (which hold it)", seconds, queries, q -> {
            int hits = 0;
            for (AddressSet s : built) {
                if (s.contains(q)) {
                    hits++;
                }
            }
            return hits;
        });
    }

    interface Lookup {
        int apply(byte[] q);
    }

    private static void run(String what, long seconds, byte[][] queries, Lookup f) {
        long sink = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sink += f.apply(queries[i & (queries.length - 1)]);
        }
        long count = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100_000; i++) {
                sink += f.apply(queries[(int) (count + i) & (queries.length - 1)]);
            }
            count += 100_000;
        }
        double perSecond = count / ((System.nanoTime() - start) / 1e9);
        System.out.printf("%-30s %,14.0f look-ups/s (hits %d)%n", what, perSecond, sink);
    }

    private static byte[] bytes(int a) {
        return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }
}
