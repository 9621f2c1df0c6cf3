package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the scope parser and the query/form/header parsers: any input either parses into values that
 * satisfy their own invariants or is refused with {@link InvalidTokenRequestException}; nothing else
 * escapes. Without JAZZER_FUZZ set, the seeds under src/test/resources run as regression tests.
 */
class TokenRequestFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void scopeParse_anyInput_parsesOrRejects(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            Scope s = Scope.parse(text);
            assertThat(Scope.parse(s.toString())).isEqualTo(s);
            assertThat(s.name()).doesNotContain("..");
        } catch (InvalidTokenRequestException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void fromQuery_anyInput_parsesOrRejects(FuzzedDataProvider data) {
        String header = data.consumeBoolean() ? data.consumeString(200) : null;
        String query = data.consumeRemainingAsString();
        try {
            TokenRequest r = TokenRequestParser.fromQuery(query, header, "127.0.0.1");
            assertThat(r.scopes()).hasSizeLessThanOrEqualTo(TokenRequest.MAX_SCOPES);
            assertThat(r.credentials().user()).doesNotContain("\n", "\r", "\u0000");
        } catch (InvalidTokenRequestException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void fromForm_anyInput_parsesOrRejects(FuzzedDataProvider data) {
        try {
            TokenRequestParser.fromForm(data.consumeRemainingAsString(), "127.0.0.1");
        } catch (InvalidTokenRequestException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
