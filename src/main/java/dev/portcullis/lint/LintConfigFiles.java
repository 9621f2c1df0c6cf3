package dev.portcullis.lint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where a policy file is looked for when none is named: hadolint's places, in hadolint's order. */
public final class LintConfigFiles {
    private LintConfigFiles() {}

    /**
     * The places, first first: {@code ./.hadolint.yaml}, {@code $XDG_CONFIG_HOME/hadolint.yaml},
     * {@code ~/.config/hadolint.yaml}, {@code ~/.hadolint/hadolint.yaml}, {@code ~/hadolint/config.yaml},
     * {@code ~/.hadolint.yaml}; each also with the {@code .yml} extension.
     */
    public static List<Path> places(Map<String, String> env) {
        List<Path> bases = new ArrayList<>();
        bases.add(Path.of(".hadolint"));
        String home = env.get("HOME");
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            bases.add(Path.of(xdg, "hadolint"));
        }
        if (home != null && !home.isBlank()) {
            bases.add(Path.of(home, ".config", "hadolint"));
            bases.add(Path.of(home, ".hadolint", "hadolint"));
            bases.add(Path.of(home, "hadolint", "config"));
            bases.add(Path.of(home, ".hadolint"));
        }
        List<Path> out = new ArrayList<>();
        for (Path b : bases) {
            out.add(b.resolveSibling(b.getFileName() + ".yaml"));
            out.add(b.resolveSibling(b.getFileName() + ".yml"));
        }
        return out;
    }

    /** The first place that holds a file; empty when none does (the defaults apply). */
    public static Optional<Path> find(Map<String, String> env) {
        return places(env).stream().filter(Files::isRegularFile).findFirst();
    }
}
