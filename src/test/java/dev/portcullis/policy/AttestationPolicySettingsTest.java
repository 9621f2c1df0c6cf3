package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttestationPolicySettingsTest {
    private static AttestationPolicySettings read(String yaml, Map<String, String> env) {
        return AttestationPolicySettings.from(ConfigDocument.parse(yaml, "auth.yml", env).root());
    }

    @Test
    void from_noRetentionKey_removesNothing() {
        AttestationPolicySettings s = read("attestations: {memory_budget: 200MB}\n", Map.of());
        assertThat(s.retentionUnasked()).isZero();
        assertThat(s.removesUnasked()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"90d, 7776000", "12h, 43200", "1h, 3600", "0, 0"})
    void from_retentionUnasked_readsTheWindow(String written, long seconds) {
        AttestationPolicySettings s = read("attestations:\n  retention_unasked: " + written + "\n", Map.of());
        assertThat(s.retentionUnasked()).isEqualTo(Duration.ofSeconds(seconds));
        assertThat(s.removesUnasked()).isEqualTo(seconds > 0);
    }

    @Test
    void from_environment_overridesRetention() {
        assertThat(read("attestations: {}\n", Map.of("PORTCULLIS_ATTESTATIONS_RETENTION_UNASKED", "30d")).retentionUnasked())
                .isEqualTo(Duration.ofDays(30));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "90     | must be 0 (off) or at least 1h",
            "30m    | must be 0 (off) or at least 1h",
            "soon   | must be a duration",
            "-1d    | must be a duration"})
    void from_badRetention_namesKeyAndLine(String written, String problem) {
        assertThatThrownBy(() -> read("users: {}\nattestations:\n  retention_unasked: " + written + "\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.yml line 3")
                .hasMessageContaining("attestations.retention_unasked").hasMessageContaining(problem);
    }

    @Test
    void sweepInterval_followsTheWindowBetweenAMinuteAndAnHour() {
        assertThat(RetentionSweeper.interval(Duration.ofDays(90))).isEqualTo(Duration.ofHours(1));
        assertThat(RetentionSweeper.interval(Duration.ofHours(12))).isEqualTo(Duration.ofMinutes(30));
        assertThat(RetentionSweeper.interval(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(2).plusSeconds(30));
    }
}
