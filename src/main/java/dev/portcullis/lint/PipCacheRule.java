package dev.portcullis.lint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DL3042 as hadolint decides it: a {@code pip install} without {@code --no-cache-dir} keeps pip's
 * cache in the layer, unless {@code PIP_NO_CACHE_DIR} is set to a true value (by ENV in the stage or
 * a stage it builds on, or in the RUN itself), the cache is on a cache or tmpfs mount, or the command
 * is a wrapper (pipx, pipenv).
 */
final class PipCacheRule {
    private static final Set<String> TRUTHY = Set.of("1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES");
    private static final String MESSAGE = "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`";

    private PipCacheRule() {}

    static Rule rule() {
        return new SimpleRule("DL3042", Severity.WARNING, "Avoid use of cache directory with pip. Use pip install --no-cache-dir <package>",
                (f, p, r) -> {
                    // Whether PIP_NO_CACHE_DIR is set true in a stage, by its name (or image): FROM inherits it.
                    Map<String, Boolean> noCache = new HashMap<>();
                    for (Dockerfile.Stage stage : f.stages()) {
                        String name = stage.from().alias().orElse(stage.from().image());
                        boolean set = noCache.getOrDefault(stage.from().image(), false);
                        noCache.put(name, set);
                        for (Instruction i : stage.instructions()) {
                            if (i instanceof Instruction.Env env && env.pairs().containsKey("PIP_NO_CACHE_DIR")) {
                                set = TRUTHY.contains(env.pairs().get("PIP_NO_CACHE_DIR"));
                                noCache.put(name, set);
                            } else if (i instanceof Instruction.Run run && !set && keepsCache(f, run)) {
                                r.add(run, MESSAGE);
                            } else if (i instanceof Instruction.Onbuild o && o.trigger() instanceof Instruction.Run run && keepsCache(f, run)) {
                                r.add(run, MESSAGE);
                            }
                        }
                    }
                });
    }

    private static boolean keepsCache(Facts f, Instruction.Run run) {
        if (setInline(run.source()) || CleanupRules.mountsAt(run, ".cache/pip")) {
            return false;
        }
        for (List<String> c : f.shell(run).commands()) {
            List<String> cmd = ShellFlags.withoutAssignments(c);
            if (!cmd.isEmpty() && PipInstalls.isPipInstall(cmd) && !cmd.contains("--no-cache-dir") && !wrapper(cmd)) {
                return true;
            }
        }
        return false;
    }

    // hadolint reads the RUN's text: the first PIP_NO_CACHE_DIR= in it, with a value starting truthy.
    private static boolean setInline(String text) {
        int at = text.indexOf("PIP_NO_CACHE_DIR=");
        if (at < 0) {
            return false;
        }
        String value = text.substring(at + "PIP_NO_CACHE_DIR=".length());
        return TRUTHY.stream().anyMatch(value::startsWith);
    }

    private static boolean wrapper(List<String> cmd) {
        String name = cmd.get(0);
        List<String> args = cmd.subList(1, cmd.size());
        return name.contains("pipx") || name.contains("pipenv")
                || name.startsWith("python") && (java.util.Collections.indexOfSubList(args, List.of("-m", "pipx")) >= 0
                        || java.util.Collections.indexOfSubList(args, List.of("-m", "pipenv")) >= 0);
    }
}
