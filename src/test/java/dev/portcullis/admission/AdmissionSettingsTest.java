package dev.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AdmissionSettingsTest {

    private static AdmissionSettings read(String yaml) {
        return AdmissionSettings.from(ConfigDocument.parse(yaml, "a.yml", Map.of()).root());
    }

    @Test
    void from_noBreakGlassOrUnknownKinds_isGooglesBreakGlassAndAdmitsUnknownKinds() {
        AdmissionSettings s = read("admission: {enabled: true}\n");
        assertThat(s.breakGlass()).isEqualTo(BreakGlassSettings.google());
        assertThat(s.denyUnknownKinds()).isFalse();
    }

    @Test
    void from_everyBreakGlassKey_readAndTheUrlNeverShown() {
        AdmissionSettings s = read("""
                admission:
                  unknown_kinds: deny
                  break_glass:
                    require_justification: true
                    allowed_groups: [sre, oncall]
                    alert_url: "https://hooks.example.com/services/T0/B0/secret-part"
                """);
        assertThat(s.denyUnknownKinds()).isTrue();
        assertThat(s.breakGlass().requireJustification()).isTrue();
        assertThat(s.breakGlass().allowedGroups()).containsExactlyInAnyOrder("sre", "oncall");
        assertThat(s.breakGlass().alertUrl().orElseThrow().reveal()).endsWith("secret-part");
        assertThat(s.toString()).doesNotContain("secret-part");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "admission: {unknown_kinds: ignore}                       | a.yml line 1: admission.unknown_kinds must be allow (admitted with a warning) or deny, not 'ignore'",
            "admission: {break_glass: {alert_url: 'ftp://x/y'}}       | admission.break_glass.alert_url must be an http or https URL",
            "admission: {break_glass: {alert_url: 'not a url'}}       | admission.break_glass.alert_url must be an http or https URL",
            "admission: {break_glass: {allowed_groups: ['']}}         | admission.break_glass.allowed_groups names an empty group",
            "admission: {break_glass: {require_justification: maybe}} | admission.break_glass.require_justification",
            "admission: {break_glass: {justification: true}}          | justification",
    })
    void from_badValue_refusedNamingTheKey(String yaml, String message) {
        assertThatThrownBy(() -> read(yaml + "\n")).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // enabled | justification needed | allowed groups | requester's groups | justification annotation | refusal (empty: honoured)
            "true  | false | ''        | developers | ''        | ''",
            "false | false | ''        | developers | ''        | turned off",
            "true  | true  | ''        | developers | ''        | needs a justification",
            "true  | true  | ''        | developers | '  '      | needs a justification",
            "true  | true  | ''        | developers | outage 42 | ''",
            "true  | false | sre       | developers | ''        | only to members of sre",
            "true  | false | sre       | sre        | ''        | ''",
            "true  | true  | sre       | sre        | ''        | needs a justification",
    })
    void refusal_table(boolean enabled, boolean justify, String allowed, String groups, String annotation, String refusal) {
        BreakGlassSettings s = new BreakGlassSettings(enabled, justify, allowed.isEmpty() ? Set.of() : Set.of(allowed),
                java.util.Optional.empty());
        Map<String, String> annotations = annotation.isEmpty() ? Map.of()
                : Map.of(BreakGlassSettings.JUSTIFICATION_ANNOTATION, annotation);
        if (refusal.isEmpty()) {
            assertThat(s.refusal(List.of(groups), annotations)).isEmpty();
        } else {
            assertThat(s.refusal(List.of(groups), annotations)).hasValueSatisfying(r -> assertThat(r).contains(refusal));
        }
    }

    @Test
    void justification_longOrSpreadOverLines_isOneLineCutToItsLimit() {
        String long_ = "a ".repeat(400) + "\n\nend";
        String j = BreakGlassSettings.justification(Map.of(BreakGlassSettings.JUSTIFICATION_ANNOTATION, long_)).orElseThrow();
        assertThat(j).doesNotContain("\n").hasSizeLessThanOrEqualTo(BreakGlassSettings.MAX_JUSTIFICATION + 1).endsWith("…");
    }
}
