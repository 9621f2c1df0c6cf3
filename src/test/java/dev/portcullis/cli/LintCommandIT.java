package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./portcullis lint} as hadolint's users run it: flags, HADOLINT_* variables, the policy file, --fix's diff. */
class LintCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CATALOG = "images:\n  node: [20.11.0-alpine3.19, 20.11.1-alpine3.19]\n";

    @TempDir
    static Path dir;

    @BeforeAll
    static void install() throws IOException {
        Launcher.install(dir);
        Files.writeString(dir.resolve("catalog.yaml"), CATALOG);
    }

    @BeforeEach
    void clean() throws IOException {
        Files.deleteIfExists(dir.resolve(".hadolint.yaml"));
    }

    // The developer's own HADOLINT_* variables and ~/.hadolint.yaml must not change what is tested.
    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Launcher.environment(dir, Map.of()));
        env.keySet().removeIf(k -> k.startsWith("HADOLINT_") || k.equals("NO_COLOR") || k.equals("XDG_CONFIG_HOME"));
        env.put("HOME", dir.toString());
        env.putAll(extra);
        return env;
    }

    private static Launcher.Result lint(Map<String, String> extraEnv, String stdin, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("./portcullis", "lint"));
        command.addAll(List.of(args));
        return Launcher.exec(dir, env(extraEnv), command, stdin);
    }

    @Test
    void fixDryRun_diffOnStdoutAppliesWithGitApply_fileUnchanged() throws IOException {
        // The change is on the last line, which has no final newline: the case whose hunk did not apply.
        String before = "FROM debian AS tools\nRUN echo hi\nFROM node:20.11.0-alpine3.19";
        Path df = Files.writeString(dir.resolve("Dockerfile"), before);
        Launcher.Result r = lint(Map.of(), null, "--fix", "--dry-run", "--catalog", "catalog.yaml", "Dockerfile");
        assertThat(Files.readString(df)).isEqualTo(before);
        assertThat(r.out()).as(r.describe()).startsWith("--- a/Dockerfile\n+++ b/Dockerfile\n@@ ")
                .contains("+FROM node:20.11.1-alpine3.19\n\\ No newline at end of file\n");
        assertThat(r.err()).contains("Dockerfile:3 would move node:20.11.0-alpine3.19 -> node:20.11.1-alpine3.19");
        // The findings are on standard error, so standard output is the patch alone.
        assertThat(r.err()).contains("Dockerfile:1 DL3006 warning");
        Files.writeString(dir.resolve("fix.diff"), r.out());
        Processes.ok(dir, "git", "apply", "fix.diff");
        assertThat(Files.readString(df)).isEqualTo(before.replace("20.11.0", "20.11.1"));
    }

    @Test
    void fix_writesTheFileAndTheSameDiffApplies() throws IOException {
        String before = "FROM node:20.11.0-alpine3.19\nUSER node\n";
        Path df = Files.writeString(dir.resolve("Dockerfile"), before);
        Launcher.Result r = lint(Map.of(), null, "--fix", "--catalog", "catalog.yaml", "-t", "error", "./Dockerfile");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(Files.readString(df)).isEqualTo("FROM node:20.11.1-alpine3.19\nUSER node\n");
        Files.writeString(df, before);
        Files.writeString(dir.resolve("fix.diff"), r.out());
        Processes.ok(dir, "git", "apply", "fix.diff");
        assertThat(Files.readString(df)).isEqualTo("FROM node:20.11.1-alpine3.19\nUSER node\n");
    }

    @Test
    void policyFile_formatAndNoFail_areHonoured() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian\nRUN cd /tmp\n");
        Files.writeString(dir.resolve(".hadolint.yaml"), "format: json\nno-fail: true\n");
        Launcher.Result r = lint(Map.of(), null, "Dockerfile");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(JSON.readTree(r.out()).findValuesAsText("code")).contains("DL3006", "DL3003");
    }

    @Test
    void thresholdNone_inThePolicyFile_neverFails() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian\n");
        Files.writeString(dir.resolve(".hadolint.yaml"), "failure-threshold: none\n");
        assertThat(lint(Map.of(), null, "Dockerfile").exitCode()).isZero();
    }

    @Test
    void policyInHomeConfig_foundWhenTheDirectoryHasNone() throws IOException {
        Files.createDirectories(dir.resolve(".config"));
        Files.writeString(dir.resolve(".config/hadolint.yaml"), "ignored: [DL3006]\n");
        try {
            Files.writeString(dir.resolve("Dockerfile"), "FROM debian\nUSER 65534\n");
            Launcher.Result r = lint(Map.of(), null, "Dockerfile");
            assertThat(r.out()).as(r.describe()).doesNotContain("DL3006");
            assertThat(r.exitCode()).isZero();
        } finally {
            Files.delete(dir.resolve(".config/hadolint.yaml"));
        }
    }

    @Test
    void environment_overridesThePolicyFile_andTheCommandLineTheEnvironment() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian\nRUN cd /tmp\n");
        Files.writeString(dir.resolve(".hadolint.yaml"), "format: tty\nignored: [DL3003]\n");
        Map<String, String> env = Map.of("HADOLINT_FORMAT", "json", "HADOLINT_IGNORE", "DL3006",
                "HADOLINT_OVERRIDE_ERROR", "DL3003");
        JsonNode fromEnv = JSON.readTree(lint(env, null, "Dockerfile").out());
        // The variable's ignore list replaced the file's: DL3003 is back, as an error.
        assertThat(fromEnv.findValuesAsText("code")).contains("DL3003").doesNotContain("DL3006");
        assertThat(fromEnv.findParents("code").stream().filter(f -> f.get("code").asText().equals("DL3003")).findFirst()
                .orElseThrow().get("level").asText()).isEqualTo("error");
        Launcher.Result flags = lint(env, null, "--ignore", "DL3003", "--no-fail", "--format", "checkstyle", "Dockerfile");
        assertThat(flags.exitCode()).as(flags.describe()).isZero();
        assertThat(flags.out()).startsWith("<?xml").contains("DL3006").doesNotContain("DL3003");
    }

    @Test
    void stdin_namedByFilePathInReport() {
        Launcher.Result r = lint(Map.of(), "FROM debian\n", "--format", "json", "--file-path-in-report", "services/api/Dockerfile", "-");
        assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
        assertThat(r.out()).contains("\"file\" : \"services/api/Dockerfile\"");
    }

    @Test
    void badVariableOrFlag_exitTwoNamingIt() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian:12\n");
        Launcher.Result nofail = lint(Map.of("HADOLINT_NOFAIL", "maybe"), null, "Dockerfile");
        assertThat(nofail.exitCode()).isEqualTo(2);
        assertThat(nofail.err()).contains("HADOLINT_NOFAIL must be 1, true, yes or on").contains("'maybe'");
        Launcher.Result threshold = lint(Map.of(), null, "-t", "loud", "Dockerfile");
        assertThat(threshold.exitCode()).isEqualTo(2);
        assertThat(threshold.err()).contains("--failure-threshold must be error, warning, info, style, ignore or none, not 'loud'");
        Launcher.Result label = lint(Map.of(), null, "--require-label", "maintainer", "Dockerfile");
        assertThat(label.err()).contains("--require-label takes LABEL:FORMAT");
        assertThat(lint(Map.of(), null, "--dry-run", "Dockerfile").err()).contains("--dry-run goes with --fix");
    }

    @Test
    @RequiresTools("script")
    void tty_onATerminal_coloursSeverities_notWithNoColor() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM debian\n");
        // script(1) gives the command a pseudo-terminal, as an interactive shell has.
        Launcher.Result coloured = Launcher.exec(dir, env(Map.of()), List.of("script", "-qec", "./portcullis lint Dockerfile", "/dev/null"), null);
        assertThat(coloured.out()).as(coloured.describe()).contains("DL3006 \u001b[33mwarning\u001b[0m: ");
        Launcher.Result plain = Launcher.exec(dir, env(Map.of("NO_COLOR", "1")), List.of("script", "-qec", "./portcullis lint Dockerfile",
                "/dev/null"), null);
        assertThat(plain.out()).contains("DL3006 warning: ").doesNotContain("\u001b[");
        assertThat(lint(Map.of(), null, "Dockerfile").out()).as("a pipe").contains("DL3006 warning: ").doesNotContain("\u001b[");
    }
}
