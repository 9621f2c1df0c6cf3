package dev.portcullis.lint;

import dev.portcullis.image.ImageReference;
import dev.portcullis.image.InvalidReferenceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The external images the FROM lines name, after substituting the ARGs declared before the first
 * FROM (their defaults); FROMs that name an earlier stage, and images that stay unresolved, are left out.
 */
final class BaseImages {
    private BaseImages() {}

    /** One FROM's image, normalised. {@code name} is the short name as written, e.g. {@code node}. */
    record Base(Instruction.From from, String written, String name, String registry, String repository,
                Optional<String> tag, Optional<String> digest) {}

    static List<Base> external(Dockerfile f) {
        Map<String, String> vars = new HashMap<>();
        f.globalArgs().forEach((k, v) -> v.ifPresent(value -> vars.put(k, value)));
        Set<String> stages = new HashSet<>();
        List<Base> out = new ArrayList<>();
        for (Dockerfile.Stage s : f.stages()) {
            String written = Substitution.expand(s.from().image(), vars);
            if (!stages.contains(written.toLowerCase(java.util.Locale.ROOT)) && !written.isEmpty() && !written.contains("$")) {
                if (written.equals("scratch")) {
                    out.add(new Base(s.from(), written, "scratch", "", "scratch", Optional.empty(), Optional.empty()));
                } else {
                    try {
                        ImageReference ref = ImageReference.parse(written);
                        String name = written.split("[@]")[0].replaceAll(":[^/:]*$", "");
                        out.add(new Base(s.from(), written, name, ref.registry(), ref.repository(), ref.tagOptional(),
                                ref.digestOptional().map(Object::toString)));
                    } catch (InvalidReferenceException e) {
                        // an image the registry would refuse as well; the build reports it
                    }
                }
            }
            s.from().alias().ifPresent(a -> stages.add(a.toLowerCase(java.util.Locale.ROOT)));
        }
        return out;
    }
}
