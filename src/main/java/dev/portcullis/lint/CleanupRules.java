package dev.portcullis.lint;

import java.util.List;

/**
 * The "clean up after installing" rules as hadolint decides them: a RUN that installs with a package
 * manager must, later in the same RUN, run its clean-up (or an {@code rm} hadolint counts as one), or
 * keep the cache on a BuildKit cache or tmpfs mount; and the apt lists' clean-up (DL3009).
 */
final class CleanupRules {
    private CleanupRules() {}

    /**
     * One such rule. hadolint matches a command by its name and any one of the words it lists, so a
     * clean-up is, for instance, any {@code rm} with {@code -rf} (kept: that is hadolint's reading).
     *
     * @param tools the package manager's command names
     * @param installWords words that make a command of {@code tools} an install
     * @param cleanWords words that make a command of the same tool a clean-up
     * @param rmWords words that make an {@code rm} a clean-up; empty when none does
     * @param mounts path fragments of a cache or tmpfs mount target that keep the cache out of the image
     */
    static Rule afterInstall(String code, String message, List<String> tools, List<String> installWords, List<String> cleanWords,
                             List<String> rmWords, List<String> mounts) {
        return new SimpleRule(code, Severity.WARNING, message, (f, p, r) -> {
            for (Instruction.Run run : RunRules.judged(f, code)) {
                if (mounts.stream().anyMatch(m -> mountsAt(run, m))) {
                    continue;
                }
                List<List<String>> commands = f.shell(run).commands();
                for (String tool : tools) {
                    int install = first(commands, tool, installWords);
                    if (install < 0) {
                        continue;
                    }
                    int clean = first(commands, tool, cleanWords);
                    int rm = rmWords.isEmpty() ? -1 : first(commands, "rm", rmWords);
                    int cleanup = clean < 0 ? rm : rm < 0 ? clean : Math.min(clean, rm);
                    if (cleanup < install) {
                        r.add(run, message);
                        break;
                    }
                }
            }
        });
    }

    /**
     * DL3009 as hadolint decides it: a RUN that updates the apt lists ({@code apt-get}, {@code apt} or
     * {@code aptitude update}) and runs no {@code rm -rf} (hadolint counts any; it means the lists),
     * unless a cache or tmpfs mount holds {@code /var/lib/apt/lists}, or both {@code /var/lib/apt} and
     * {@code /var/cache/apt}. Only where the lists reach an image: the last stage, or a stage a later
     * (or any) FROM builds on by its name.
     */
    static Rule aptLists() {
        String message = "Delete the apt-get lists after installing something";
        return new SimpleRule("DL3009", Severity.INFO, message, (f, p, r) -> {
            for (Instruction.Run run : reachingAnImage(f)) {
                if (mountsAt(run, "/var/lib/apt/lists") || mountsAt(run, "/var/lib/apt") && mountsAt(run, "/var/cache/apt")) {
                    continue;
                }
                List<List<String>> commands = f.shell(run).commands();
                boolean updates = first(commands, "apt-get", List.of("update")) >= 0 || first(commands, "apt", List.of("update")) >= 0
                        || first(commands, "aptitude", List.of("update")) >= 0;
                if (updates && first(commands, "rm", List.of("-rf", "/var/lib/apt/lists/*")) < 0) {
                    r.add(run, message);
                }
            }
        });
    }

    /**
     * DL3060 as hadolint decides it: a RUN that runs {@code yarn install} and no {@code yarn cache clean}
     * (nor keeps yarn's cache on a cache or tmpfs mount), or cleans before it installs; where the layer
     * reaches an image, as for DL3009.
     */
    static Rule yarnCache() {
        String message = "`yarn cache clean` missing after `yarn install` was run.";
        return new SimpleRule("DL3060", Severity.INFO, "yarn cache clean missing after yarn install was run", (f, p, r) -> {
            for (Instruction.Run run : reachingAnImage(f)) {
                List<List<String>> commands = f.shell(run).commands();
                int install = first(commands, "yarn", List.of("install"));
                int clean = first(commands, "yarn", List.of("cache", "clean"));
                if (install >= 0 && (clean < 0 && !mountsAt(run, ".cache/yarn") || clean >= 0 && clean < install)) {
                    r.add(run, message);
                }
            }
        });
    }

    /**
     * The RUNs whose layers reach an image, as hadolint counts them: those of the last stage and of a
     * stage a FROM builds on by name, and every ONBUILD RUN trigger (it runs in whatever builds on it).
     */
    private static List<Instruction.Run> reachingAnImage(Facts f) {
        List<Dockerfile.Stage> stages = f.stages();
        java.util.Set<String> builtOn = new java.util.HashSet<>();
        stages.forEach(s -> builtOn.add(s.from().image()));
        List<Instruction.Run> out = new java.util.ArrayList<>();
        for (int k = 0; k < stages.size(); k++) {
            Dockerfile.Stage stage = stages.get(k);
            boolean reaches = k == stages.size() - 1 || stage.from().alias().map(builtOn::contains).orElse(false);
            for (Instruction i : stage.instructions()) {
                if (i instanceof Instruction.Run own && reaches) {
                    out.add(own);
                } else if (i instanceof Instruction.Onbuild o && o.trigger() instanceof Instruction.Run trigger) {
                    out.add(trigger);
                }
            }
        }
        return out;
    }

    /** Whether the RUN has a {@code --mount} of type cache or tmpfs whose target holds {@code fragment}. */
    static boolean mountsAt(Instruction.Run run, String fragment) {
        for (Flag flag : run.flags()) {
            if (!flag.name().equals("mount") || flag.value().isEmpty()) {
                continue;
            }
            String type = "bind";
            String target = "";
            for (String kv : flag.value().get().split(",")) {
                int eq = kv.indexOf('=');
                String k = eq < 0 ? kv : kv.substring(0, eq);
                String v = eq < 0 ? "" : kv.substring(eq + 1);
                switch (k) {
                    case "type" -> type = v;
                    case "target", "dst", "destination" -> target = v;
                    default -> { }
                }
            }
            if ((type.equals("cache") || type.equals("tmpfs")) && target.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    // The index of the first command named `name` with one of `words` among its arguments; -1 if none.
    private static int first(List<List<String>> commands, String name, List<String> words) {
        for (int k = 0; k < commands.size(); k++) {
            List<String> c = commands.get(k);
            if (!c.isEmpty() && c.get(0).equals(name) && c.subList(1, c.size()).stream().anyMatch(words::contains)) {
                return k;
            }
        }
        return -1;
    }
}
