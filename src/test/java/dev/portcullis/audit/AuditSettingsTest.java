package dev.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditSettingsTest {
    private static AuditSettings read(String yaml, Map<String, String> env) {
        return AuditSettings.from(ConfigDocument.parse(yaml, "auth.yml", env).root().section("audit"));
    }

    @Test
    void from_noSection_keeps30DaysAnd1GBAndFoldsRepeatsForAMinute() {
        assertThat(read("users: {}\n", Map.of())).isEqualTo(AuditSettings.DEFAULTS)
                .isEqualTo(new AuditSettings(Duration.ofDays(30), 1L << 30, Duration.ofMinutes(1)));
    }

    @Test
    void from_yaml_readsRetentionAndRepeatWindow() {
        AuditSettings s = read("audit:\n  retention: {max_age: 90d, max_size: 20GB}\n  repeat_window: 5m\n", Map.of());
        assertThat(s).isEqualTo(new AuditSettings(Duration.ofDays(90), 20L << 30, Duration.ofMinutes(5)));
    }

    @Test
    void from_environment_overridesEveryKey() {
        AuditSettings s = read("audit: {retention: {max_age: 90d}}\n", Map.of("PORTCULLIS_AUDIT_RETENTION_MAX_AGE", "7d",
                "PORTCULLIS_AUDIT_RETENTION_MAX_SIZE", "0", "PORTCULLIS_AUDIT_REPEAT_WINDOW", "0"));
        assertThat(s).isEqualTo(new AuditSettings(Duration.ofDays(7), 0, Duration.ZERO));
        assertThat(s.limitsSize()).isFalse();
    }

    @Test
    void from_tinyOrMalformedSize_namesKeyAndLine() {
        assertThatThrownBy(() -> read("audit:\n  retention:\n    max_size: 10KB\n", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth.yml line 3")
                .hasMessageContaining("audit.retention.max_size").hasMessageContaining("at least 1MB");
        assertThatThrownBy(() -> read("audit: {}\n", Map.of("PORTCULLIS_AUDIT_RETENTION_MAX_SIZE", "big")))
                .hasMessageContaining("PORTCULLIS_AUDIT_RETENTION_MAX_SIZE");
    }

    @Test
    void from_unknownKey_namesIt() {
        assertThatThrownBy(() -> read("audit:\n  retention: {max_days: 3}\n", Map.of()))
                .hasMessageContaining("audit.retention.max_days").hasMessageContaining("line 2");
    }
}
