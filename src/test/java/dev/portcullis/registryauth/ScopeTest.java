package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "repository:team/app:pull,push          | repository         | team/app                 | pull;push",
            "repository:team/app:pull               | repository         | team/app                 | pull",
            "repository:app:                        | repository         | app                      | ''",
            "repository(plugin):vendor/p:pull       | repository(plugin) | vendor/p                 | pull",
            "registry:catalog:*                     | registry           | catalog                  | *",
            "repository:localhost:5000/a/b:pull     | repository         | localhost:5000/a/b       | pull",
            "repository:reg.example.com/x/y/z:push  | repository         | reg.example.com/x/y/z    | push",
            "repository:a/b:pull,pull,delete        | repository         | a/b                      | pull;delete",
    })
    void parse_validScope_splitsTypeNameActions(String text, String type, String name, String actions) {
        Scope s = Scope.parse(text.trim());
        assertThat(s.type()).isEqualTo(type);
        assertThat(s.name()).isEqualTo(name);
        assertThat(s.actions()).containsExactlyElementsOf(actions.isEmpty() ? List.of() : List.of(actions.split(";")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "repository", "repository:app", "repository::pull", "repository:../etc:pull",
            "repository:a/../b:pull", "repository:A/b:pull", "repository:a b:pull", "repository:a:PULL",
            "Repository:a:pull", "repository:a:pull;rm", "repository:a\u0000b:pull", "repository:a\nb:pull",
            "repository(:a:pull", "repository:a:pull,,push"})
    void parse_invalidScope_throwsInvalidRequest(String text) {
        assertThatThrownBy(() -> Scope.parse(text)).isInstanceOf(InvalidTokenRequestException.class)
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest(name = "[{index}] length {0}")
    @ValueSource(ints = {1025, 65536})
    void parse_overlongScope_isRejected(int length) {
        assertThatThrownBy(() -> Scope.parse("repository:" + "a".repeat(length) + ":pull"))
                .isInstanceOf(InvalidTokenRequestException.class);
    }

    @org.junit.jupiter.api.Test
    void parseList_spaceSeparated_returnsEach() {
        assertThat(Scope.parseList("repository:a:pull  registry:catalog:*"))
                .extracting(Scope::toString).containsExactly("repository:a:pull", "registry:catalog:*");
    }
}
