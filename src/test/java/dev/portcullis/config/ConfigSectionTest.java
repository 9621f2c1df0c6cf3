package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigSectionTest {
    private static final String YAML = """
            server:
              addr: ":5001"
              path_prefix: /auth
            token:
              expiration: 900
            acl:
              - match: {account: admin}
                actions: ["*"]
            """;

    @Test
    void string_environmentOverride_winsOverFile() {
        ConfigSection server = ConfigDocument.parse(YAML, "auth.yml", Map.of("PORTCULLIS_SERVER_ADDR", "127.0.0.1:9"))
                .root().section("server");
        assertThat(server.string("addr")).contains("127.0.0.1:9");
        assertThat(server.string("path_prefix")).contains("/auth");
    }

    @Test
    void rejectUnknown_typoInKey_namesKeyFileAndLine() {
        ConfigSection server = ConfigDocument.parse("server:\n  adr: x\n", "auth.yml", Map.of()).root().section("server");
        assertThatThrownBy(() -> server.rejectUnknown(Set.of("addr")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.yml line 2")
                .hasMessageContaining("server.adr");
    }

    @Test
    void integer_malformedValue_namesKeyAndLine() {
        ConfigSection token = ConfigDocument.parse("token:\n  expiration: soon\n", "a.yml", Map.of()).root().section("token");
        assertThatThrownBy(() -> token.integer("expiration", 300, 1, 86400))
                .hasMessageContaining("a.yml line 2").hasMessageContaining("token.expiration").hasMessageContaining("soon");
    }

    @Test
    void integer_malformedEnvironmentValue_namesVariable() {
        ConfigSection token = ConfigDocument.parse(YAML, "a.yml", Map.of("PORTCULLIS_TOKEN_EXPIRATION", "x"))
                .root().section("token");
        assertThatThrownBy(() -> token.integer("expiration", 300, 1, 86400))
                .hasMessageContaining("PORTCULLIS_TOKEN_EXPIRATION");
    }

    @Test
    void duration_withUnits_parses() {
        ConfigSection s = ConfigDocument.parse("a: {x: 5m, y: 250ms, z: 30}\n", "a.yml", Map.of()).root().section("a");
        assertThat(s.duration("x", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.duration("y", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(s.duration("z", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.duration("missing", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void bytes_withUnits_countInPowersOf1024() {
        ConfigSection s = ConfigDocument.parse("a: {x: 1GB, y: 500MiB, z: 4096, w: 2 tb}\n", "a.yml", Map.of()).root().section("a");
        assertThat(s.bytes("x", 0)).isEqualTo(1L << 30);
        assertThat(s.bytes("y", 0)).isEqualTo(500L << 20);
        assertThat(s.bytes("z", 0)).isEqualTo(4096);
        assertThat(s.bytes("w", 0)).isEqualTo(2L << 40);
        assertThat(s.bytes("missing", 7)).isEqualTo(7);
    }

    @Test
    void bytes_malformedOrHuge_namesKeyAndLine() {
        ConfigSection s = ConfigDocument.parse("a:\n  x: lots\n  y: 99999999999TB\n", "a.yml", Map.of()).root().section("a");
        assertThatThrownBy(() -> s.bytes("x", 0)).hasMessageContaining("a.yml line 2").hasMessageContaining("a.x");
        assertThatThrownBy(() -> s.bytes("y", 0)).hasMessageContaining("a.yml line 3").hasMessageContaining("too large");
    }

    @Test
    void parse_invalidYaml_namesLine() {
        assertThatThrownBy(() -> ConfigDocument.parse("server:\n  addr: [\n", "bad.yml", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bad.yml line");
    }

    @Test
    void parse_duplicateKey_isRejected() {
        assertThatThrownBy(() -> ConfigDocument.parse("a: 1\na: 2\n", "dup.yml", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dup.yml");
    }

    @Test
    void sectionList_entries_carryIndexedPath() {
        var acl = ConfigDocument.parse(YAML, "a.yml", Map.of()).root().sectionList("acl");
        assertThat(acl).hasSize(1);
        assertThat(acl.get(0).path()).isEqualTo("acl[0]");
        assertThat(acl.get(0).section("match").string("account")).contains("admin");
    }

    @Test
    void secret_toString_neverShowsValue() {
        Secret s = Secret.of("hunter2");
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(s.matches("hunter2")).isTrue();
        assertThat(s.matches("hunter3")).isFalse();
    }
}
