package dev.portcullis.lint;

import dev.portcullis.config.ConfigSection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one lint run is told, layered as hadolint layers it: the {@code .hadolint.yaml} file, then the
 * {@code HADOLINT_*} environment variables (and {@code NO_COLOR}), then the command line; each later
 * source wins key by key, and a list given later replaces the earlier one.
 *
 * @param policy what the linter enforces
 * @param format the report's format, one of {@link Reports#FORMATS}
 * @param noFail exit 0 whatever is found ({@code no-fail}, or a {@code failure-threshold} of {@code none})
 * @param noColor no colour in the tty report even on a terminal
 */
public record LintSetup(LintPolicy policy, String format, boolean noFail, boolean noColor) {
    /** The {@code HADOLINT_*} variables read, as hadolint documents them. */
    public static final List<String> VARIABLES = List.of("HADOLINT_NOFAIL", "HADOLINT_FORMAT", "HADOLINT_FAILURE_THRESHOLD",
            "HADOLINT_OVERRIDE_ERROR", "HADOLINT_OVERRIDE_WARNING", "HADOLINT_OVERRIDE_INFO", "HADOLINT_OVERRIDE_STYLE",
            "HADOLINT_IGNORE", "HADOLINT_STRICT_LABELS", "HADOLINT_DISABLE_IGNORE_PRAGMA", "HADOLINT_TRUSTED_REGISTRIES",
            "HADOLINT_REQUIRE_LABELS", "NO_COLOR");

    public LintSetup {
        if (policy == null) {
            throw new IllegalArgumentException("a lint run has a policy");
        }
        if (!Reports.FORMATS.contains(format)) {
            throw new IllegalArgumentException("unknown format '" + format + "' (" + String.join(", ", Reports.FORMATS) + ")");
        }
    }

    /**
     * The command line's part; a null or empty value was not given.
     *
     * @param overrides rule codes per level from {@code --error}, {@code --warning}, {@code --info}, {@code --style}
     * @param requireLabels {@code label:format} items from {@code --require-label}
     */
    public record Flags(String format, boolean noFail, boolean noColor, String failureThreshold, List<String> ignore,
                        Map<Severity, List<String>> overrides, List<String> trustedRegistries, List<String> requireLabels,
                        boolean strictLabels, boolean disableIgnorePragma) {
        public Flags {
            ignore = ignore == null ? List.of() : List.copyOf(ignore);
            overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
            trustedRegistries = trustedRegistries == null ? List.of() : List.copyOf(trustedRegistries);
            requireLabels = requireLabels == null ? List.of() : List.copyOf(requireLabels);
        }
    }

    /**
     * Layers the file ({@code null} when there is none), the environment and the flags. A value that
     * cannot be read is an {@link IllegalArgumentException} naming where it came from.
     */
    public static LintSetup resolve(ConfigSection file, Map<String, String> env, Flags flags) {
        LintPolicy base = file == null ? LintPolicy.defaults() : LintPolicies.from(file);
        Layers l = new Layers(base);
        if (file != null) {
            l.format = file.string("format", l.format);
            l.noFail = file.bool("no-fail", false);
            l.thresholdNone = LintPolicies.thresholdIsNone(file);
            l.noColor = file.bool("no-color", false);
        }
        // The environment.
        l.noFail = truthy(env, "HADOLINT_NOFAIL", l.noFail);
        l.format = env.getOrDefault("HADOLINT_FORMAT", l.format).strip();
        l.threshold(env.get("HADOLINT_FAILURE_THRESHOLD"), "HADOLINT_FAILURE_THRESHOLD");
        for (Severity s : List.of(Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.STYLE)) {
            codes(env, "HADOLINT_OVERRIDE_" + s.name()).forEach(c -> l.overrides.put(c, s));
        }
        List<String> ignore = codes(env, "HADOLINT_IGNORE");
        if (!ignore.isEmpty()) {
            l.ignored = Set.copyOf(ignore);
        }
        l.strictLabels = truthy(env, "HADOLINT_STRICT_LABELS", l.strictLabels);
        l.honourPragmas = !truthy(env, "HADOLINT_DISABLE_IGNORE_PRAGMA", !l.honourPragmas);
        List<String> registries = codes(env, "HADOLINT_TRUSTED_REGISTRIES");
        if (!registries.isEmpty()) {
            l.trustedRegistries = registries;
        }
        l.labels(codes(env, "HADOLINT_REQUIRE_LABELS"), "HADOLINT_REQUIRE_LABELS");
        // no-color.org: set to anything but empty.
        l.noColor = l.noColor || !env.getOrDefault("NO_COLOR", "").isEmpty();
        // The command line.
        if (flags.format() != null) {
            l.format = flags.format();
        }
        l.noFail = l.noFail || flags.noFail();
        l.noColor = l.noColor || flags.noColor();
        l.threshold(flags.failureThreshold(), "--failure-threshold");
        flags.overrides().forEach((s, cs) -> cs.forEach(c -> l.overrides.put(c, s)));
        if (!flags.ignore().isEmpty()) {
            l.ignored = Set.copyOf(flags.ignore());
        }
        if (!flags.trustedRegistries().isEmpty()) {
            l.trustedRegistries = flags.trustedRegistries();
        }
        l.labels(flags.requireLabels(), "--require-label");
        l.strictLabels = l.strictLabels || flags.strictLabels();
        l.honourPragmas = l.honourPragmas && !flags.disableIgnorePragma();
        if (!Reports.FORMATS.contains(l.format)) {
            throw new IllegalArgumentException("unknown format '" + l.format + "' (" + String.join(", ", Reports.FORMATS) + ")");
        }
        LintPolicy p = new LintPolicy(l.ignored, l.trustedRegistries, l.overrides, l.failAt, l.labelSchema, l.strictLabels,
                base.approvedBases(), base.requireDigest(), base.requiredLabels(), base.secretNames(), l.honourPragmas);
        return new LintSetup(p, l.format, l.noFail || l.thresholdNone, l.noColor);
    }

    // hadolint's truthy values; anything else it reads as false, here a value that is neither is named.
    private static boolean truthy(Map<String, String> env, String name, boolean otherwise) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "1", "y", "yes", "on", "true" -> true;
            case "0", "n", "no", "off", "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be 1, true, yes or on (or 0, false, no, off), not '" + v + "'");
        };
    }

    private static List<String> codes(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String c : v.split(",")) {
            if (!c.isBlank()) {
                out.add(c.strip());
            }
        }
        return out;
    }

    /** The values being layered, each starting from the file's. */
    private static final class Layers {
        Set<String> ignored;
        List<String> trustedRegistries;
        final Map<String, Severity> overrides;
        Severity failAt;
        final Map<String, String> labelSchema;
        boolean strictLabels;
        boolean honourPragmas;
        String format = "tty";
        boolean noFail;
        /** The last failure threshold given was {@code none}: never fail. */
        boolean thresholdNone;
        boolean noColor;

        Layers(LintPolicy p) {
            ignored = p.ignored();
            trustedRegistries = p.trustedRegistries();
            overrides = new LinkedHashMap<>(p.overrides());
            failAt = p.failureThreshold();
            labelSchema = new LinkedHashMap<>(p.labelSchema());
            strictLabels = p.strictLabels();
            honourPragmas = p.honourPragmas();
        }

        void threshold(String value, String from) {
            if (value == null || value.isBlank()) {
                return;
            }
            if (value.strip().equalsIgnoreCase("none")) {
                thresholdNone = true;
                return;
            }
            try {
                failAt = Severity.parse(value);
                thresholdNone = false;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(from + " must be error, warning, info, style, ignore or none, not '" + value + "'");
            }
        }

        void labels(List<String> items, String from) {
            for (String item : items) {
                int colon = item.indexOf(':');
                if (colon <= 0 || colon == item.length() - 1) {
                    throw new IllegalArgumentException(from + " takes LABEL:FORMAT (e.g. maintainer:text), not '" + item + "'");
                }
                labelSchema.put(item.substring(0, colon).strip(), item.substring(colon + 1).strip());
            }
        }
    }
}
