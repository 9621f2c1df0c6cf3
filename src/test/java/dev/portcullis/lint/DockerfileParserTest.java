package dev.portcullis.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerfileParserTest {

    private static Dockerfile parse(String text) {
        return Dockerfile.parse("Dockerfile", text);
    }

    private static Instruction only(String text) {
        List<Instruction> all = parse(text).instructions();
        return all.get(all.size() - 1);
    }

    @Test
    void parse_fromWithPlatformAndAlias_isTyped() {
        Instruction.From f = (Instruction.From) only("FROM --platform=$BUILDPLATFORM golang:1.22 AS build");
        assertThat(f.image()).isEqualTo("golang:1.22");
        assertThat(f.alias()).contains("build");
        assertThat(f.flag("platform")).contains("$BUILDPLATFORM");
        assertThat(f.position()).isEqualTo(new Position(1, 1));
    }

    @Test
    void parse_continuationsWithCommentsInside_joinAndKeepStartLine() {
        Dockerfile d = parse("FROM a:1\n\nRUN apt-get update \\\n    # a comment inside\n\n    && apt-get install -y x\nUSER app\n");
        Instruction.Run run = (Instruction.Run) d.instructions().get(1);
        assertThat(run.position()).isEqualTo(new Position(3, 1));
        assertThat(run.command().text()).contains("apt-get update", "&& apt-get install -y x").doesNotContain("comment");
        assertThat(d.instructions().get(2).position().line()).isEqualTo(7);
        assertThat(d.comments()).containsKey(4);
    }

    @Test
    void parse_escapeDirectiveBacktick_continuesWithBacktick() {
        Dockerfile d = parse("# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN dir `\n    c:\\\n");
        assertThat(d.directives()).containsEntry("escape", "`");
        assertThat(((Instruction.Run) d.instructions().get(1)).command().text()).isEqualTo("dir     c:\\");
    }

    @Test
    void parse_directives_syntaxAndCheck_areRead() {
        Dockerfile d = parse("# syntax=docker/dockerfile:1.7\n# check=skip=JSONArgsRecommended\nFROM a:1\n");
        assertThat(d.directives()).containsEntry("syntax", "docker/dockerfile:1.7").containsEntry("check", "skip=JSONArgsRecommended");
    }

    @Test
    void parse_directiveAfterInstruction_isAComment() {
        Dockerfile d = parse("FROM a:1\n# escape=`\nRUN x \\\n  y\n");
        assertThat(d.directives()).isEmpty();
        assertThat(((Instruction.Run) d.instructions().get(1)).command().text()).isEqualTo("x   y");
    }

    @Test
    void parse_heredocs_readBodiesAndContinueAfter() {
        Dockerfile d = parse("FROM a:1\nRUN <<EOF\napt-get update\nEOF\nCOPY <<-\"A\" /a <<B /b\n\tone\n\tA\ntwo\nB\nUSER x\n");
        Instruction.Run run = (Instruction.Run) d.instructions().get(1);
        assertThat(run.heredocs()).containsExactly(new Heredoc("EOF", false, true, "apt-get update\n"));
        Instruction.Copy copy = (Instruction.Copy) d.instructions().get(2);
        assertThat(copy.heredocs()).extracting(Heredoc::body).containsExactly("one\n", "two\n");
        assertThat(copy.heredocs().get(0).expand()).isFalse();
        assertThat(d.instructions().get(3)).isInstanceOf(Instruction.User.class);
    }

    @Test
    void parse_hereStringAndShiftInRun_areNotHeredocs() {
        Dockerfile d = parse("FROM a:1\nRUN cat <<< \"x\" && echo $((1<<2))\nUSER x\n");
        assertThat(((Instruction.Run) d.instructions().get(1)).heredocs()).isEmpty();
        assertThat(d.instructions()).hasSize(3);
    }

    @Test
    void parse_execAndShellForms_areDistinguished() {
        assertThat(((Instruction.Cmd) only("CMD [\"nginx\", \"-g\", \"daemon off;\"]")).command())
                .isEqualTo(new Arguments.ExecForm(List.of("nginx", "-g", "daemon off;")));
        assertThat(((Instruction.Cmd) only("CMD nginx -g 'daemon off;'")).command()).isInstanceOf(Arguments.ShellForm.class);
        assertThat(((Instruction.Cmd) only("CMD [ \"broken\" ")).command()).isInstanceOf(Arguments.ShellForm.class);
        // As BuildKit reads it: an array followed by anything is a shell command, not an exec form.
        assertThat(((Instruction.Cmd) only("CMD [\"a\"] && b")).command()).isEqualTo(new Arguments.ShellForm("[\"a\"] && b"));
        assertThat(((Instruction.Cmd) only("CMD [\"a\", \"b\"]   ")).command()).isEqualTo(new Arguments.ExecForm(List.of("a", "b")));
    }

    @Test
    void parse_runMountAndCopyFlags_areKept() {
        Instruction.Run run = (Instruction.Run) only("RUN --mount=type=cache,target=/root/.cache --network=none pip install x");
        assertThat(run.flags()).extracting(Flag::name).containsExactly("mount", "network");
        Instruction.Copy copy = (Instruction.Copy) only("COPY --from=build --chmod=0755 --link /out/app /usr/local/bin/");
        assertThat(copy.flag("from")).contains("build");
        assertThat(copy.flag("chmod")).contains("0755");
        assertThat(copy.flag("link")).contains("");
        assertThat(copy.sources()).containsExactly("/out/app");
        assertThat(copy.destination()).isEqualTo("/usr/local/bin/");
    }

    @Test
    void parse_envForms_newAndLegacy() {
        assertThat(((Instruction.Env) only("ENV A=1 B=\"two words\" C=x\\ y")).pairs())
                .containsExactly(Map.entry("A", "1"), Map.entry("B", "two words"), Map.entry("C", "x y"));
        assertThat(((Instruction.Env) only("ENV PATH /usr/local/bin:$PATH")).pairs()).containsEntry("PATH", "/usr/local/bin:$PATH");
    }

    @Test
    void parse_argBeforeFrom_isGlobalAndSubstitutes() {
        Dockerfile d = parse("ARG VERSION=3.19\nARG VARIANT\nFROM alpine:${VERSION:-latest}${VARIANT:+-$VARIANT}\n");
        assertThat(d.globalArgs()).containsEntry("VERSION", Optional.of("3.19")).containsEntry("VARIANT", Optional.empty());
        assertThat(BaseImages.external(d)).singleElement().satisfies(b -> assertThat(b.tag()).contains("3.19"));
    }

    @Test
    void parse_onbuild_wrapsTrigger() {
        Instruction.Onbuild o = (Instruction.Onbuild) only("ONBUILD COPY . /app");
        assertThat(o.trigger()).isInstanceOf(Instruction.Copy.class);
    }

    @Test
    void parse_lowercaseKeywordsAndCrLf_areAccepted() {
        Dockerfile d = parse("from a:1\r\nrun echo hi\r\n");
        assertThat(d.instructions()).hasSize(2);
    }

    @Test
    void stages_multiStage_splitsAtFrom() {
        Dockerfile d = parse("FROM a:1 AS build\nRUN make\nFROM b:2\nCOPY --from=build /x /x\nUSER app\n");
        assertThat(d.stages()).hasSize(2);
        assertThat(d.stages().get(1).instructions()).hasSize(2);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "FROM a:1\\nFOO bar                      | 2 | unknown instruction: FOO",
            "FROM                                   | 1 | FROM requires",
            "FROM a:1 AS                            | 1 | FROM takes",
            "FROM a:1\\nRUN <<EOF\\necho            | 2 | not closed",
            "FROM a:1\\nENV A=\"unterminated       | 2 | unterminated",
            "FROM a:1\\nCOPY onlyone                | 2 | COPY requires",
            "FROM a:1\\nSHELL /bin/bash -c          | 2 | SHELL requires the JSON form",
            "# escape=x\\nFROM a:1                  | 1 | invalid escape",
            "FROM a:1\\nHEALTHCHECK --interval=5s   | 2 | HEALTHCHECK requires",
            "FROM a:1\\nENV =x                      | 2 | expected KEY=VALUE",
            // What BuildKit refuses, in its words.
            "''                                     | 1 | file with no instructions",
            "# only a comment\\n\\n# another      | 1 | file with no instructions",
            "FROM a:1\\nENV FOO                     | 2 | ENV must have two arguments",
            "FROM a:1\\nLABEL maintainer            | 2 | LABEL must have two arguments",
            "FROM a:1\\nCMD [\"a\", [\"b\"]]        | 2 | arrays must be comprised of strings only",
            "FROM a:1\\nENTRYPOINT [\"a\", 1]        | 2 | arrays must be comprised of strings only",
            "FROM a:1\\nCOPY [\"a\", {\"b\": 1}, \"/x\"] | 2 | arrays must be comprised of strings only",
    })
    void parse_syntaxError_reportsLineAndReason(String text, int line, String reason) {
        assertThatThrownBy(() -> parse(text.replace("\\n", "\n")))
                .isInstanceOfSatisfying(DockerfileSyntaxException.class, e -> assertThat(e.position().line()).isEqualTo(line))
                .hasMessageContaining(reason.trim());
    }
}
