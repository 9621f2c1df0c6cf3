package dev.portcullis.lint;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigSection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The approved base images and their allowed tags, from YAML ({@code images: {node: [10.4.9-alpine3.18, ...]}}).
 * Answers "the newest allowed patch release of the same line and variant" for a tag in use.
 */
public record BaseImageCatalog(Map<String, List<String>> images) {
    private static final Pattern VERSION = Pattern.compile("(\\d+(?:\\.\\d+)*)(.*)");

    public BaseImageCatalog {
        images = Map.copyOf(images);
    }

    public static BaseImageCatalog load(Path file) {
        ConfigSection root = ConfigDocument.load(file, Map.of()).root();
        root.rejectUnknown(java.util.Set.of("images"));
        ConfigSection images = root.section("images");
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : images.keys()) {
            out.put(name, images.stringList(name));
        }
        return new BaseImageCatalog(out);
    }

    /**
     * The newest allowed tag with the same major.minor line and the same suffix as {@code tag}, if newer:
     * {@code 10.4.8-alpine3.18} moves to {@code 10.4.9-alpine3.18}, never to {@code 10.5.0} or {@code 10.4.9-bookworm}.
     */
    public Optional<String> newerPatch(String name, String tag) {
        List<String> allowed = images.get(name);
        Matcher current = VERSION.matcher(tag);
        if (allowed == null || !current.matches()) {
            return Optional.empty();
        }
        int[] cur = numbers(current.group(1));
        String suffix = current.group(2);
        String best = null;
        int[] bestNumbers = cur;
        for (String candidate : allowed) {
            Matcher m = VERSION.matcher(candidate);
            if (!m.matches() || !m.group(2).equals(suffix)) {
                continue;
            }
            int[] n = numbers(m.group(1));
            if (n.length != cur.length || !sameLine(n, cur)) {
                continue;
            }
            if (compare(n, bestNumbers) > 0) {
                best = candidate;
                bestNumbers = n;
            }
        }
        return Optional.ofNullable(best);
    }

    // Same line: every component but the last (the patch) is equal; a one-component tag has no line to keep.
    private static boolean sameLine(int[] a, int[] b) {
        if (a.length < 2) {
            return false;
        }
        for (int k = 0; k < a.length - 1; k++) {
            if (a[k] != b[k]) {
                return false;
            }
        }
        return true;
    }

    private static int compare(int[] a, int[] b) {
        for (int k = 0; k < Math.min(a.length, b.length); k++) {
            if (a[k] != b[k]) {
                return Integer.compare(a[k], b[k]);
            }
        }
        return Integer.compare(a.length, b.length);
    }

    private static int[] numbers(String dotted) {
        String[] parts = dotted.split("\\.");
        int[] out = new int[parts.length];
        for (int k = 0; k < parts.length; k++) {
            out[k] = parts[k].length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(parts[k]);
        }
        return out;
    }
}
