package dev.portcullis.lint;

import dev.portcullis.image.Digest;
import dev.portcullis.image.ImageReference;
import java.util.ArrayList;
import java.util.List;

/** Moves each FROM to the newest allowed patch release of its line, and shows the change as a unified diff. */
public final class BaseImageRewrite {
    private BaseImageRewrite() {}

    /** One FROM moved: the line, the image before and after. */
    public record Change(int line, String from, String to) {}

    /** The rewritten text and what changed; the text is unchanged when nothing moved. */
    public record Result(String text, List<Change> changes) {
        public Result {
            changes = List.copyOf(changes);
        }
    }

    public static Result apply(String name, String text, BaseImageCatalog catalog) {
        return apply(name, text, catalog, null);
    }

    /**
     * Moves each FROM per the catalog; with {@code pinDigest}, also pins each movable FROM (moved or
     * not) to the digest the registry serves for its tag.
     */
    public static Result apply(String name, String text, BaseImageCatalog catalog,
                               java.util.function.Function<ImageReference, Digest> pinDigest) {
        Dockerfile file = Dockerfile.parse(name, text);
        String[] lines = text.split("\n", -1);
        List<Change> changes = new ArrayList<>();
        for (BaseImages.Base b : BaseImages.external(file)) {
            if (b.tag().isEmpty() || b.digest().isPresent() || !b.from().image().equals(b.written())) {
                continue; // digest-pinned, untagged, or built from ARGs: not ours to move
            }
            String tag = catalog.newerPatch(b.name(), b.tag().get()).orElse(b.tag().get());
            String after = b.name() + ":" + tag;
            if (pinDigest != null) {
                after = after + "@" + pinDigest.apply(ImageReference.parse(after));
            }
            int idx = b.from().position().line() - 1;
            String before = b.written();
            if (!after.equals(before) && lines[idx].contains(before)) {
                lines[idx] = lines[idx].replace(before, after);
                changes.add(new Change(idx + 1, before, after));
            }
        }
        return new Result(String.join("\n", lines), changes);
    }

    /** A unified diff of two texts with the same number of lines (a rewrite changes lines, never adds). */
    public static String diff(String name, String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        StringBuilder out = new StringBuilder("--- a/" + name + "\n+++ b/" + name + "\n");
        int k = 0;
        while (k < a.length) {
            if (a[k].equals(b[k])) {
                k++;
                continue;
            }
            int start = Math.max(0, k - 3);
            int end = k;
            while (end < a.length && (!a[end].equals(b[end]) || end < a.length && hasChangeWithin(a, b, end, 3))) {
                end++;
            }
            end = Math.min(a.length, end + 3);
            out.append("@@ -").append(start + 1).append(',').append(end - start).append(" +").append(start + 1).append(',')
                    .append(end - start).append(" @@\n");
            for (int j = start; j < end; j++) {
                if (a[j].equals(b[j])) {
                    out.append(' ').append(a[j]).append('\n');
                } else {
                    out.append('-').append(a[j]).append('\n').append('+').append(b[j]).append('\n');
                }
            }
            k = end;
        }
        return out.toString();
    }

    private static boolean hasChangeWithin(String[] a, String[] b, int from, int n) {
        for (int j = from; j < Math.min(a.length, from + n + 1); j++) {
            if (!a[j].equals(b[j])) {
                return true;
            }
        }
        return false;
    }
}
