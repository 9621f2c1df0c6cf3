package dev.portcullis.lint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes the parser and every rule: any text either parses (and the rules run without throwing) or
 * is refused with {@link DockerfileSyntaxException} carrying a position inside the text.
 */
class DockerfileParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void lint_anyText_findsOrReportsSyntaxError(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        List<Finding> findings = new Linter(LintPolicy.defaults()).lint("fuzz", text);
        long lines = text.lines().count() + 1;
        for (Finding f : findings) {
            assertThat(f.position().line()).isBetween(1, (int) Math.max(1, lines));
            assertThat(f.message()).isNotBlank();
        }
    }
}
