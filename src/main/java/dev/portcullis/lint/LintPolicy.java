package dev.portcullis.lint;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the linter enforces, read once from {@code .hadolint.yaml}-style YAML: hadolint's keys
 * ({@code ignored}, {@code trustedRegistries}, {@code override}, {@code failure-threshold},
 * {@code label-schema}, {@code strict-labels}) plus ours ({@code approved-bases},
 * {@code require-digest}, {@code required-labels}, {@code secret-names}).
 *
 * @param approvedBases image names (globs on {@code registry/repository}) the catalog allows; empty allows any
 * @param honourPragmas whether {@code # hadolint ignore=} comments silence findings ({@code disable-ignore-pragma} turns it off)
 */
public record LintPolicy(Set<String> ignored, List<String> trustedRegistries, Map<String, Severity> overrides,
                         Severity failureThreshold, Map<String, String> labelSchema, boolean strictLabels,
                         List<String> approvedBases, boolean requireDigest, List<String> requiredLabels,
                         List<String> secretNames, boolean honourPragmas) {

    /** The secret-looking names checked by default in ENV and ARG. */
    public static final List<String> DEFAULT_SECRET_NAMES = List.of("*password*", "*passwd*", "*secret*", "*token*",
            "*api_key*", "*apikey*", "*private_key*", "*access_key*", "*credentials*");

    public LintPolicy {
        ignored = Set.copyOf(ignored);
        trustedRegistries = List.copyOf(trustedRegistries);
        overrides = Map.copyOf(overrides);
        labelSchema = Map.copyOf(labelSchema);
        approvedBases = List.copyOf(approvedBases);
        requiredLabels = List.copyOf(requiredLabels);
        secretNames = List.copyOf(secretNames);
    }

    /** A policy that honours ignore pragmas, as hadolint does by default. */
    public LintPolicy(Set<String> ignored, List<String> trustedRegistries, Map<String, Severity> overrides,
                      Severity failureThreshold, Map<String, String> labelSchema, boolean strictLabels,
                      List<String> approvedBases, boolean requireDigest, List<String> requiredLabels, List<String> secretNames) {
        this(ignored, trustedRegistries, overrides, failureThreshold, labelSchema, strictLabels, approvedBases, requireDigest,
                requiredLabels, secretNames, true);
    }

    /** hadolint's defaults: nothing ignored, fail on info and above. */
    public static LintPolicy defaults() {
        return new LintPolicy(Set.of(), List.of(), Map.of(), Severity.INFO, Map.of(), false, List.of(), false, List.of(),
                DEFAULT_SECRET_NAMES);
    }

    Severity severityOf(String code, Severity byDefault) {
        return ignored.contains(code) ? Severity.IGNORE : overrides.getOrDefault(code, byDefault);
    }
}
