package dev.portcullis.lint;

import static dev.portcullis.lint.Severity.INFO;
import static dev.portcullis.lint.Severity.WARNING;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** hadolint's label-schema rules: labels the schema does not name, empty labels, and values of the wrong type. */
final class LabelRules {
    private static final Pattern URL = Pattern.compile("(?i)(https?|ftp|git|ssh)://[^\\s/$.?#][^\\s]*");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{7,40}");
    private static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    /** Common SPDX identifiers; an expression joins them with AND, OR, WITH and parentheses. */
    private static final Set<String> SPDX = Set.of("0BSD", "AFL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1",
            "Apache-2.0", "Artistic-2.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-3-Clause", "BSL-1.0", "CC-BY-4.0",
            "CC-BY-SA-4.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1", "EPL-1.0", "EPL-2.0", "EUPL-1.2", "GPL-2.0-only",
            "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "ISC", "LGPL-2.1-only", "LGPL-2.1-or-later",
            "LGPL-3.0-only", "LGPL-3.0-or-later", "MIT", "MIT-0", "MPL-2.0", "PostgreSQL", "Python-2.0", "Unlicense",
            "UPL-1.0", "WTFPL", "Zlib", "Classpath-exception-2.0", "LLVM-exception", "GPL-2.0", "GPL-3.0", "LGPL-2.1",
            "LGPL-3.0", "AGPL-3.0", "BSD-4-Clause", "OFL-1.1", "PHP-3.01", "Ruby", "Vim");

    private LabelRules() {}

    static List<Rule> all() {
        return List.of(
                new SimpleRule("DL3050", INFO, "Superfluous label(s) present", (f, p, r) -> {
                    if (p.strictLabels() && !p.labelSchema().isEmpty()) {
                        InstructionRules.each(f, Instruction.Label.class, l -> l.pairs().keySet().stream()
                                .filter(k -> !p.labelSchema().containsKey(k))
                                .forEach(k -> r.add(l, "Superfluous label(s) present: " + k)));
                    }
                }),
                new SimpleRule("DL3051", WARNING, "Label is empty", (f, p, r) -> InstructionRules.each(f, Instruction.Label.class,
                        l -> l.pairs().forEach((k, v) -> {
                            if (p.labelSchema().containsKey(k) && v.isEmpty()) {
                                r.add(l, "Label `" + k + "` is empty.");
                            }
                        }))),
                typed("DL3052", "url", v -> URL.matcher(v).matches(), "is not a valid URL"),
                typed("DL3053", "rfc3339", LabelRules::rfc3339, "is not a valid time format - must conform to RFC3339"),
                typed("DL3054", "spdx", LabelRules::spdx, "is not a valid SPDX license identifier"),
                typed("DL3055", "hash", v -> HASH.matcher(v).matches(), "is not a valid git hash"),
                typed("DL3056", "semver", v -> SEMVER.matcher(v).matches(), "does not conform to semantic versioning"),
                typed("DL3058", "email", v -> EMAIL.matcher(v).matches(), "is not a valid email format - must conform to RFC5322"));
    }

    // A label the schema gives this type, whose value is present but not of that type.
    private static Rule typed(String code, String type, Predicate<String> valid, String what) {
        return new SimpleRule(code, WARNING, "Label " + what, (f, p, r) -> InstructionRules.each(f, Instruction.Label.class,
                l -> l.pairs().forEach((k, v) -> {
                    if (type.equals(p.labelSchema().get(k)) && !v.isEmpty() && !valid.test(v)) {
                        r.add(l, "Label `" + k + "` " + what + ".");
                    }
                })));
    }

    private static boolean rfc3339(String v) {
        try {
            OffsetDateTime.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean spdx(String v) {
        for (String token : v.replace("(", " ").replace(")", " ").trim().split("\\s+")) {
            if (!token.equals("AND") && !token.equals("OR") && !token.equals("WITH") && !SPDX.contains(token.replaceAll("\\+$", ""))) {
                return false;
            }
        }
        return true;
    }
}
