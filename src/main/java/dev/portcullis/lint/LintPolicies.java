package dev.portcullis.lint;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigSection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a {@link LintPolicy} from a {@code .hadolint.yaml}-style file, with errors naming key and line. */
public final class LintPolicies {
    private static final Set<String> KEYS = Set.of("ignored", "trustedRegistries", "override", "failure-threshold",
            "label-schema", "strict-labels", "approved-bases", "require-digest", "required-labels", "secret-names",
            "no-fail", "format", "no-color", "disable-ignore-pragma");

    private LintPolicies() {}

    public static LintPolicy load(Path file) {
        return from(ConfigDocument.load(file, Map.of()).root());
    }

    public static LintPolicy from(ConfigSection s) {
        s.rejectUnknown(KEYS);
        Map<String, Severity> overrides = new LinkedHashMap<>();
        ConfigSection o = s.section("override");
        o.rejectUnknown(Set.of("error", "warning", "info", "style", "ignore"));
        for (String level : o.keys()) {
            for (String code : o.stringList(level)) {
                overrides.put(code, Severity.parse(level));
            }
        }
        Severity threshold = Severity.INFO;
        if (!thresholdIsNone(s)) {
            try {
                threshold = Severity.parse(s.string("failure-threshold", "info"));
            } catch (IllegalArgumentException e) {
                throw s.error("failure-threshold", "must be error, warning, info, style, ignore or none");
            }
        }
        Map<String, String> schema = new LinkedHashMap<>();
        ConfigSection ls = s.section("label-schema");
        for (String k : ls.keys()) {
            schema.put(k, ls.string(k, "text"));
        }
        List<String> secretNames = s.has("secret-names") ? s.stringList("secret-names") : LintPolicy.DEFAULT_SECRET_NAMES;
        return new LintPolicy(Set.copyOf(s.stringList("ignored")), s.stringList("trustedRegistries"), overrides, threshold,
                schema, s.bool("strict-labels", false), s.stringList("approved-bases"), s.bool("require-digest", false),
                s.stringList("required-labels"), secretNames, !s.bool("disable-ignore-pragma", false));
    }

    /** {@code failure-threshold: none}: hadolint's way of saying never fail. */
    static boolean thresholdIsNone(ConfigSection s) {
        return s.has("failure-threshold") && s.string("failure-threshold", "").strip().equalsIgnoreCase("none");
    }

}
