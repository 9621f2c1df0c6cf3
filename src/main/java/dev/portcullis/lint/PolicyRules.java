package dev.portcullis.lint;

import static dev.portcullis.lint.Severity.ERROR;
import static dev.portcullis.lint.Severity.WARNING;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Portcullis's own policy rules (codes PC1xxx): base-image catalog, root, secrets, remote code. */
final class PolicyRules {
    /** Values that are secrets whatever their name: cloud keys, tokens, private keys. */
    private static final List<Pattern> SECRET_VALUES = List.of(
            Pattern.compile("AKIA[0-9A-Z]{16}"),
            Pattern.compile("gh[pousr]_[A-Za-z0-9]{36,}"),
            Pattern.compile("glpat-[A-Za-z0-9_-]{20,}"),
            Pattern.compile("xox[abpr]-[A-Za-z0-9-]{10,}"),
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
            Pattern.compile("sk_live_[A-Za-z0-9]{20,}"));

    private PolicyRules() {}

    static List<Rule> all() {
        return List.of(
                new SimpleRule("PC1001", ERROR, "Base image must come from the approved catalog", (f, p, r) -> {
                    if (p.approvedBases().isEmpty()) {
                        return;
                    }
                    f.bases().forEach(b -> {
                        String full = b.registry() + "/" + b.repository();
                        if (!b.name().equals("scratch") && p.approvedBases().stream()
                                .noneMatch(a -> Globs.matches(a, full) || Globs.matches(a, b.name()))) {
                            r.add(b.from(), "Base image " + b.written() + " is not in the approved catalog");
                        }
                    });
                }),
                new SimpleRule("PC1002", ERROR, "Base image must be pinned by digest when the policy asks", (f, p, r) -> {
                    if (p.requireDigest()) {
                        f.bases().stream().filter(b -> b.digest().isEmpty() && !b.name().equals("scratch"))
                                .forEach(b -> r.add(b.from(), "Base image " + b.written() + " is not pinned by digest (@sha256:...)"));
                    }
                }),
                new SimpleRule("PC1003", WARNING, "The final stage must not run as root", (f, p, r) -> {
                    List<Dockerfile.Stage> stages = f.stages();
                    if (stages.isEmpty()) {
                        return;
                    }
                    Dockerfile.Stage last = stages.get(stages.size() - 1);
                    boolean hasUser = last.instructions().stream().anyMatch(i -> i instanceof Instruction.User);
                    if (!hasUser && !last.from().image().equals("scratch")) {
                        r.add(last.from(), "The final stage sets no USER, so the container runs as root unless its base sets one");
                    }
                }),
                new SimpleRule("PC1004", ERROR, "No secrets in ENV or ARG", (f, p, r) -> f.instructions().forEach(i -> {
                    Map<String, String> pairs = switch (i) {
                        case Instruction.Env e -> e.pairs();
                        case Instruction.Arg a -> {
                            Map<String, String> m = new java.util.LinkedHashMap<>();
                            a.names().forEach((k, v) -> m.put(k, v.orElse("")));
                            yield m;
                        }
                        default -> Map.of();
                    };
                    pairs.forEach((k, v) -> {
                        boolean byName = !v.isEmpty() && !v.startsWith("$") && p.secretNames().stream().anyMatch(n -> Globs.matches(n, k));
                        boolean byValue = SECRET_VALUES.stream().anyMatch(s -> s.matcher(v).find());
                        if (byName || byValue) {
                            r.add(i, k + " looks like a secret" + (byValue ? " (its value has the shape of a credential)" : "")
                                    + ": pass it at build time with RUN --mount=type=secret, never in ENV or ARG");
                        }
                    });
                })),
                new SimpleRule("PC1005", ERROR, "No ADD of a URL", (f, p, r) -> InstructionRules.each(f, Instruction.Copy.class, c -> {
                    if (c.add() && c.sources().stream().anyMatch(InstructionRules::isUrl)) {
                        r.add(c, "ADD of a URL fetches unverified content: download with a checksum check in RUN, or ADD --checksum");
                    }
                })),
                new SimpleRule("PC1006", ERROR, "No piping a downloaded script into a shell", (f, p, r) -> {
                    for (Instruction.Run run : f.runs()) {
                        ShellCommands sh = f.shell(run);
                        for (int k = 0; k + 1 < sh.commands().size(); k++) {
                            String left = sh.commands().get(k).get(0);
                            String right = sh.commands().get(k + 1).get(0);
                            if ((left.endsWith("curl") || left.endsWith("wget")) && sh.separators().get(k).equals("|")
                                    && right.matches("(.*/)?(sh|bash|ash|dash|zsh|python3?|perl|sudo)")) {
                                r.add(run, "Piping " + left + " into " + right + " runs unverified code: download, check a checksum, then run");
                                break;
                            }
                        }
                    }
                }),
                new SimpleRule("PC1007", WARNING, "Required labels must be present", (f, p, r) ->
                        InstructionRules.requireLabels(f, new java.util.LinkedHashSet<>(p.requiredLabels()), r)));
    }
}
