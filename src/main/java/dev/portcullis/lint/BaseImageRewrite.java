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

    /**
     * A unified diff of two texts with the same number of lines (a rewrite changes lines, never adds),
     * in the form {@code git apply} and {@code patch -p1} accept: three lines of context, and the
     * "no newline at end of file" marker where the file does not end with one.
     */
    public static String diff(String name, String before, String after) {
        String[] a = lines(before);
        String[] b = lines(after);
        if (a.length != b.length) {
            throw new IllegalArgumentException("a rewrite keeps the number of lines");
        }
        boolean aEnds = before.isEmpty() || before.endsWith("\n");
        boolean bEnds = after.isEmpty() || after.endsWith("\n");
        StringBuilder out = new StringBuilder("--- a/" + name + "\n+++ b/" + name + "\n");
        int k = 0;
        while (k < a.length) {
            if (a[k].equals(b[k]) && !(k == a.length - 1 && aEnds != bEnds)) {
                k++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k + 1;
            // Changes closer than twice the context share one hunk.
            for (int j = end; j < Math.min(a.length, end + 2 * CONTEXT); j++) {
                if (!a[j].equals(b[j])) {
                    end = j + 1;
                }
            }
            end = Math.min(a.length, end + CONTEXT);
            out.append("@@ -").append(range(start, end)).append(" +").append(range(start, end)).append(" @@\n");
            for (int j = start; j < end; j++) {
                boolean last = j == a.length - 1;
                if (a[j].equals(b[j]) && !(last && aEnds != bEnds)) {
                    out.append(' ').append(a[j]).append('\n');
                    if (last && !aEnds) {
                        out.append(NO_NEWLINE);
                    }
                } else {
                    out.append('-').append(a[j]).append('\n');
                    if (last && !aEnds) {
                        out.append(NO_NEWLINE);
                    }
                    out.append('+').append(b[j]).append('\n');
                    if (last && !bEnds) {
                        out.append(NO_NEWLINE);
                    }
                }
            }
            k = end;
        }
        return out.toString();
    }

    private static final int CONTEXT = 3;
    private static final String NO_NEWLINE = "\\ No newline at end of file\n";

    // The file's lines, without the empty one after a final newline: it is not a line of the file.
    private static String[] lines(String text) {
        if (text.isEmpty()) {
            return new String[0];
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return body.split("\n", -1);
    }

    // A hunk's "start,count", as diff writes it (a one-line range has no count).
    private static String range(int start, int end) {
        return end - start == 1 ? String.valueOf(start + 1) : (start + 1) + "," + (end - start);
    }
}
