package dev.portcullis.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A range of tag versions, comparators joined by spaces: {@code >=1.2 <1.4}, {@code <=3.18},
 * {@code =1.36.1}. A tag is a version when it is dotted numbers with an optional leading {@code v} and
 * an optional {@code -suffix} (ignored in comparing: {@code 1.36-alpine} is 1.36); other tags are in no range.
 */
record VersionRange(String text, List<Bound> bounds) {
    private static final Pattern BOUND = Pattern.compile("(>=|<=|>|<|=)?(v?\\d{1,9}(?:\\.\\d{1,9}){0,3})");
    private static final Pattern VERSION = Pattern.compile("v?(\\d{1,9}(?:\\.\\d{1,9}){0,3})(?:-[\\w.-]*)?");

    /** One comparator. */
    record Bound(String op, long[] version) {}

    VersionRange {
        bounds = List.copyOf(bounds);
    }

    /** Parses a range; the error names the part that is not a comparator. */
    static VersionRange parse(String text) {
        if (text == null || text.isBlank() || text.length() > 200) {
            throw new LineageException("a version range is 1 to 200 characters of comparators, e.g. '>=1.2 <1.4'");
        }
        List<Bound> bounds = new ArrayList<>();
        for (String part : text.strip().split("\\s+")) {
            Matcher m = BOUND.matcher(part);
            if (!m.matches()) {
                throw new LineageException("version range '" + text + "': '" + part + "' is not a comparator such as >=1.2, <1.4 or =1.3.1");
            }
            bounds.add(new Bound(m.group(1) == null ? "=" : m.group(1), numbers(m.group(2).replaceFirst("^v", ""))));
        }
        return new VersionRange(text.strip(), bounds);
    }

    /** Whether {@code tag} is a version within every comparator. */
    boolean contains(String tag) {
        Matcher m = VERSION.matcher(tag);
        if (!m.matches()) {
            return false;
        }
        long[] v = numbers(m.group(1));
        for (Bound b : bounds) {
            int c = compare(v, b.version());
            boolean ok = switch (b.op()) {
                case ">=" -> c >= 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                default -> c == 0;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static long[] numbers(String dotted) {
        String[] p = dotted.split("\\.");
        long[] v = new long[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = Long.parseLong(p[i]);
        }
        return v;
    }

    // Missing parts count as 0: 1.2 equals 1.2.0.
    private static int compare(long[] a, long[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int c = Long.compare(i < a.length ? a[i] : 0, i < b.length ? b[i] : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionRange r && r.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
