package dev.portcullis.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigSection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LintSetupTest {
    private static final LintSetup.Flags NONE = new LintSetup.Flags(null, false, false, null, null, null, null, null, false, false);

    private static ConfigSection file(String yaml) {
        return ConfigDocument.parse(yaml, ".hadolint.yaml", Map.of()).root();
    }

    @Test
    void resolve_nothingGiven_isHadolintsDefaults() {
        LintSetup s = LintSetup.resolve(null, Map.of(), NONE);
        assertThat(s.format()).isEqualTo("tty");
        assertThat(s.noFail()).isFalse();
        assertThat(s.noColor()).isFalse();
        assertThat(s.policy().failureThreshold()).isEqualTo(Severity.INFO);
        assertThat(s.policy().honourPragmas()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] file {0} / env {1} / flag {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            // file's failure-threshold | HADOLINT_FAILURE_THRESHOLD | --failure-threshold | threshold | never fails
            "warning |         |         | WARNING | false",
            "warning | error   |         | ERROR   | false",
            "warning | error   | style   | STYLE   | false",
            "none    |         |         | INFO    | true",
            "none    | warning |         | WARNING | false",
            "warning | none    |         | WARNING | true",
            "warning | none    | error   | ERROR   | false",
    })
    void resolve_threshold_laterSourceWins(String inFile, String inEnv, String flag, Severity threshold, boolean neverFails) {
        Map<String, String> env = inEnv == null ? Map.of() : Map.of("HADOLINT_FAILURE_THRESHOLD", inEnv);
        LintSetup.Flags f = new LintSetup.Flags(null, false, false, flag, null, null, null, null, false, false);
        LintSetup s = LintSetup.resolve(file("failure-threshold: " + inFile + "\n"), env, f);
        assertThat(s.policy().failureThreshold()).isEqualTo(threshold);
        assertThat(s.noFail()).isEqualTo(neverFails);
    }

    @Test
    void resolve_lists_aLaterListReplacesTheEarlierOne() {
        ConfigSection f = file("ignored: [DL3008]\ntrustedRegistries: [docker.io]\n");
        assertThat(LintSetup.resolve(f, Map.of(), NONE).policy().ignored()).containsExactly("DL3008");
        LintSetup env = LintSetup.resolve(f, Map.of("HADOLINT_IGNORE", "DL3006, DL3007", "HADOLINT_TRUSTED_REGISTRIES", "ghcr.io"), NONE);
        assertThat(env.policy().ignored()).containsExactlyInAnyOrder("DL3006", "DL3007");
        assertThat(env.policy().trustedRegistries()).containsExactly("ghcr.io");
        LintSetup.Flags flags = new LintSetup.Flags(null, false, false, null, List.of("DL3059"), null, null, null, false, false);
        assertThat(LintSetup.resolve(f, Map.of("HADOLINT_IGNORE", "DL3006"), flags).policy().ignored()).containsExactly("DL3059");
    }

    @Test
    void resolve_overridesAndLabels_addUpKeyByKey() {
        ConfigSection f = file("override: {warning: [DL3003]}\nlabel-schema: {author: text}\n");
        LintSetup.Flags flags = new LintSetup.Flags(null, false, false, null, null, Map.of(Severity.STYLE, List.of("DL3003")), null,
                List.of("version:semver"), false, false);
        LintSetup s = LintSetup.resolve(f, Map.of("HADOLINT_OVERRIDE_ERROR", "DL3003,DL3006"), flags);
        assertThat(s.policy().overrides()).containsEntry("DL3003", Severity.STYLE).containsEntry("DL3006", Severity.ERROR);
        assertThat(s.policy().labelSchema()).containsEntry("author", "text").containsEntry("version", "semver");
    }

    @Test
    void resolve_fileKeysHadolintDocuments_areHonoured() {
        LintSetup s = LintSetup.resolve(file("format: sarif\nno-fail: true\nno-color: true\ndisable-ignore-pragma: true\n"), Map.of(), NONE);
        assertThat(s.format()).isEqualTo("sarif");
        assertThat(s.noFail()).isTrue();
        assertThat(s.noColor()).isTrue();
        assertThat(s.policy().honourPragmas()).isFalse();
        assertThat(LintSetup.resolve(null, Map.of("NO_COLOR", "1", "HADOLINT_NOFAIL", "yes"), NONE))
                .extracting(LintSetup::noColor, LintSetup::noFail).containsExactly(true, true);
    }

    @ParameterizedTest(name = "[{index}] {0}={1}")
    @CsvSource(delimiter = '|', value = {
            "HADOLINT_NOFAIL            | maybe | HADOLINT_NOFAIL must be 1, true, yes or on",
            "HADOLINT_FORMAT            | xml   | unknown format 'xml'",
            "HADOLINT_FAILURE_THRESHOLD | loud  | HADOLINT_FAILURE_THRESHOLD must be error, warning, info, style, ignore or none, not 'loud'",
            "HADOLINT_REQUIRE_LABELS    | a:    | HADOLINT_REQUIRE_LABELS takes LABEL:FORMAT",
    })
    void resolve_badVariable_refusedNamingIt(String name, String value, String message) {
        assertThatThrownBy(() -> LintSetup.resolve(null, Map.of(name, value), NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
