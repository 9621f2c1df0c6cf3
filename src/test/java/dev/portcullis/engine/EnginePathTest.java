package dev.portcullis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request targets normalised before matching, and sent on as matched. */
class EnginePathTest {
    @ParameterizedTest
    @CsvSource({
            "/v1.41/containers/json, /containers/json, /v1.41/containers/json",
            "/containers/json?all=1, /containers/json, /containers/json?all=1",
            "//containers//abc/./start, /containers/abc/start, /containers/abc/start",
            "/v1.41/containers/%61bc/start, /containers/abc/start, /v1.41/containers/abc/start",
            "/containers/%2e/json, /containers/json, /containers/json",
            "/v1/_ping, /_ping, /v1/_ping",
            "/images/localhost/busybox:1/json, /images/localhost/busybox:1/json, /images/localhost/busybox:1/json",
            "/, /, /",
            "/containers/a%20b/json, /containers/a b/json, /containers/a%20b/json",
    })
    void parse_target_matchPathAndForwardTarget(String target, String match, String forward) {
        EnginePath p = EnginePath.parse(target);
        assertThat(p.matchPath()).isEqualTo(match);
        assertThat(p.forwardTarget()).isEqualTo(forward);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "/containers/../images/json; a '..' segment",
            "/containers/%2e%2e/images/json; a '..' segment",
            "/containers/%2E%2e/x; a '..' segment",
            "/containers/a%2fb/json; encoded '/'",
            "/containers/a%2Fb/json; encoded '/'",
            "/containers/a%5cb/json; backslash",
            "/containers/a%00/json; control character",
            "/containers/a%zz/json; two hex digits",
            "/containers/a%2; two hex digits",
            "/containers/json#x; fragment",
    })
    void parse_trickyTarget_refused(String target, String reason) {
        assertThatThrownBy(() -> EnginePath.parse(target)).isInstanceOf(Refusal.class).hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "GET /containers/json; GET; /v1.41/containers/json; true",
            "GET /containers/json; POST; /containers/json; false",
            "GET|HEAD /_ping; HEAD; /_ping; true",
            "* /containers/*/start; POST; /containers/abc/start; true",
            "POST /containers/*/start; POST; /containers/abc/def/start; false",
            "GET /images/**/json; GET; /images/localhost/busybox:1/json; true",
            "GET /images/**/json; GET; /images/json; false",
            "POST /containers/*/start; POST; /containers/..%2f/start; false",
    })
    void endpointPattern_matches(String pattern, String method, String target, boolean matches) {
        boolean result;
        try {
            result = EndpointPattern.parse(pattern).matches(method, EnginePath.parse(target));
        } catch (Refusal r) {
            result = false;
        }
        assertThat(result).isEqualTo(matches);
    }
}
