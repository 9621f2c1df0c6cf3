package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "{\"name\": \"a\", \"name\": \"b\"}                | duplicate key 'name' at line 1",
            "{\"a\": {\"x\": 1, \"x\": 2}}                     | duplicate key 'x'",
            "{\"name\": \"a\"} {\"name\": \"b\"}               | content after the JSON value at line 1, column 15",
            "{\"name\": \"a\"}]                                | content after the JSON value",
            "{\"name\": \"a\"} trailing                        | content after the JSON value",
            "{\"name\": \"a\"}\\n\"x\"                          | content after the JSON value at line 2",
            "{\"name\": secret-looking-token}                  | not valid JSON at line 1",
            "'   '                                             | no JSON value",
    })
    void read_duplicateKeyOrTrailingContent_isRefusedNamingTheProblem(String json, String message) {
        assertThatThrownBy(() -> StrictJson.read(json.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(StrictJson.InvalidJsonException.class).hasMessageStartingWith(message.trim())
                .hasMessageNotContaining("secret-looking-token");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"{\"a\": 1}", "{\"a\": 1}\n", "  {\"a\": [1, {\"a\": 2}]}  \r\n", "[1, 2]"})
    void read_oneValueWithWhitespaceAround_isRead(String json) {
        assertThat(StrictJson.read(json.getBytes(StandardCharsets.UTF_8)).isContainerNode()).isTrue();
    }

    record Named(String name) {}

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"{\"name\": 3}", "{\"name\": 2.5}", "{\"name\": true}"})
    void read_numberOrBooleanWhereTextIsExpected_isTheWrongTypeNamingTheField(String json) {
        assertThatThrownBy(() -> StrictJson.read(json.getBytes(StandardCharsets.UTF_8), Named.class))
                .isInstanceOf(StrictJson.WrongTypeException.class).hasMessageContaining("name");
    }
}
