package dev.portcullis.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/lint-rules.md lists every rule with its default severity, as the code defines them. */
class LintRulesDocTest {
    @Test
    void docs_lintRules_listEveryRuleWithItsSeverity() throws Exception {
        String doc = Files.readString(Path.of("docs", "lint-rules.md"));
        for (String[] rule : Linter.ruleTable()) {
            assertThat(doc).as(rule[0]).contains("| " + rule[0] + " | " + rule[1] + " | " + rule[2] + " |");
        }
    }
}
