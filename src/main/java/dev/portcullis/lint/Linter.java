package dev.portcullis.lint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lints Dockerfiles: parses, runs every rule, drops what the policy ignores and what
 * {@code # hadolint ignore=DL3008,DL3015} (or {@code # portcullis ignore=...}) on the line before an
 * instruction silences, and applies severity overrides.
 */
public final class Linter {
    private static final Pattern PRAGMA = Pattern.compile("#\\s*(?:hadolint|portcullis)\\s+ignore\\s*=\\s*([A-Z0-9, ]+)");
    // hadolint's file-wide form: silences the codes it names everywhere in the file, wherever it stands.
    private static final Pattern GLOBAL_PRAGMA = Pattern.compile("#\\s*(?:hadolint|portcullis)\\s+global\\s+ignore\\s*=\\s*([A-Z0-9, ]+)");
    private final List<Rule> rules = Rule.all();
    private final LintPolicy policy;

    public Linter(LintPolicy policy) {
        this.policy = policy;
    }

    /** Findings for one file's text, sorted by position; a syntax error is the one finding DL1000. */
    public List<Finding> lint(String fileName, String text) {
        Dockerfile file;
        try {
            file = Dockerfile.parse(fileName, text);
        } catch (DockerfileSyntaxException e) {
            return List.of(new Finding.SyntaxError(fileName, e.position(), e.getMessage()));
        }
        Map<Integer, Set<String>> silenced = policy.honourPragmas() ? pragmas(file) : Map.of();
        Set<String> silencedEverywhere = policy.honourPragmas() ? globalPragmas(file) : Set.of();
        Facts facts = new Facts(file);
        List<Finding> out = new ArrayList<>();
        for (Rule rule : rules) {
            Severity severity = policy.severityOf(rule.code(), rule.defaultSeverity());
            if (severity == Severity.IGNORE) {
                continue;
            }
            rule.check(facts, policy, (at, message) -> {
                if (!silencedEverywhere.contains(rule.code())
                        && !silenced.getOrDefault(at.position().line(), Set.of()).contains(rule.code())) {
                    out.add(new Finding.Violation(fileName, at.position(), rule.code(), severity, message));
                }
            });
        }
        Severity pragmaSeverity = policy.severityOf("DL1001", Severity.IGNORE);
        if (pragmaSeverity != Severity.IGNORE) {
            for (Instruction i : file.instructions()) {
                if (silenced.containsKey(i.position().line())) {
                    out.add(new Finding.Violation(fileName, i.position(), "DL1001", pragmaSeverity,
                            "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`."));
                }
            }
        }
        out.sort(Comparator.comparingInt((Finding f) -> f.position().line()).thenComparing(Finding::code));
        return List.copyOf(out);
    }

    /** Every rule's code, default severity and description, for the docs and {@code --list-rules}. */
    public static List<String[]> ruleTable() {
        List<String[]> out = new ArrayList<>(Rule.all().stream()
                .map(r -> new String[] {r.code(), r.defaultSeverity().label(), r.description()}).toList());
        out.add(new String[] {"DL1001", "ignore", "Please refrain from using inline ignore pragmas"});
        return out;
    }

    private static Set<String> globalPragmas(Dockerfile file) {
        Set<String> out = new HashSet<>();
        for (String comment : file.comments().values()) {
            Matcher m = GLOBAL_PRAGMA.matcher(comment);
            if (m.find()) {
                for (String c : m.group(1).split(",")) {
                    out.add(c.trim());
                }
            }
        }
        return out;
    }

    // A pragma silences the codes it names on the next instruction.
    private static Map<Integer, Set<String>> pragmas(Dockerfile file) {
        Map<Integer, Set<String>> out = new java.util.HashMap<>();
        for (Instruction i : file.instructions()) {
            int line = i.position().line() - 1;
            while (line >= 1 && file.comments().containsKey(line)) {
                Matcher m = PRAGMA.matcher(file.comments().get(line));
                if (m.find()) {
                    Set<String> codes = out.computeIfAbsent(i.position().line(), k -> new HashSet<>());
                    for (String c : m.group(1).split(",")) {
                        codes.add(c.trim());
                    }
                }
                line--;
            }
        }
        return out;
    }
}
