package dev.portcullis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rules files read with every mistake named, and presets that mean what they say. */
class EngineRulesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "identities: {ci: {endpoints: [read-write]}} | neither a preset",
            "identities: {ci: {endpoints: ['GET containers']}} | is not 'METHOD /path'",
            "identities: {ci: {endpoints: ['get /x']}} | upper-case letters",
            "identities: {ci: {endpoints: ['GET /con*']}} | a wildcard is a whole segment",
            "identities: {ci: {privileged: yes please}} | must be true or false",
            "identities: {ci: {binds: [srv]}} | not an absolute, normalised path",
            "identities: {ci: {bind: [/srv]}} | unknown key identities.ci.bind",
            "identity: {} | unknown key identity",
            "max_body: 10 | max_body must be between",
            "identities: [ci] | must be a mapping",
    })
    void parse_mistake_refusedNamingIt(String yaml, String reason) {
        assertThatThrownBy(() -> EngineRules.parse(yaml, "rules.yaml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rules.yaml").hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource({
            "GET, /v1.41/containers/json, true",
            "GET, /containers/abc/logs, true",
            "HEAD, /_ping, true",
            "GET, /containers/abc/archive, false",
            "GET, /containers/abc/export, false",
            "POST, /containers/create, false",
            "POST, /containers/abc/start, false",
            "DELETE, /images/busybox, false",
    })
    void readOnly_preset_inspectsButNeverChangesOrCopiesOut(String method, String target, boolean allowed) {
        IdentityRules r = EngineRules.readOnlyForAll().forIdentity("anyone");
        assertThat(r.endpoint(method, EnginePath.parse(target)).isPresent()).isEqualTo(allowed);
    }

    @Test
    void forIdentity_unnamedWithDefault_getsTheDefaultUnderItsOwnName() {
        EngineRules rules = EngineRules.parse("default: {endpoints: [run], owner_only: true}", "rules.yaml");
        IdentityRules r = rules.forIdentity("bob");
        assertThat(r.identity()).isEqualTo("bob");
        assertThat(r.endpoint("POST", EnginePath.parse("/containers/create"))).isPresent();
        assertThat(r.ownerOnly()).isTrue();
    }
}
