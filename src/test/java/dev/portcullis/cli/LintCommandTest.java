package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code portcullis lint} end to end: paths, formats, policy file, exit statuses, bad input. */
class LintCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private Run lint(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "lint";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void lint_jsonFormat_isHadolintShapeAndExitOne() throws Exception {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM debian\nRUN cd /tmp\n");
        Run r = lint("--format", "json", df.toString());
        assertThat(r.exit()).isEqualTo(1);
        JsonNode arr = JSON.readTree(r.out());
        assertThat(arr.isArray()).isTrue();
        JsonNode first = arr.get(0);
        assertThat(first.fieldNames()).toIterable().containsExactlyInAnyOrder("code", "column", "file", "level", "line", "message");
        assertThat(arr.findValuesAsText("code")).contains("DL3006", "DL3003");
    }

    @Test
    void lint_directory_findsDockerfileVariantsOnly() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM a:1\nUSER app\n");
        Files.writeString(dir.resolve("Dockerfile.dev"), "FROM a:1\nUSER app\n");
        Files.writeString(dir.resolve("api.Dockerfile"), "FROM a:1\nUSER app\n");
        Files.writeString(dir.resolve("README.md"), "not a dockerfile");
        Run r = lint("--format", "json", "-t", "error", dir.toString());
        assertThat(r.exit()).isZero();
        assertThat(JSON.readTree(r.out()).findValuesAsText("file")).allMatch(f -> !f.endsWith("README.md"));
    }

    @Test
    void lint_thresholdError_warningsDoNotFail() throws Exception {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM debian\nUSER app\n");
        assertThat(lint("-t", "error", df.toString()).exit()).isZero();
        assertThat(lint("-t", "warning", df.toString()).exit()).isEqualTo(1);
    }

    @Test
    void lint_policyFile_ignoresAndRequiresCatalog() throws Exception {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM quay.io/x/y:1\nUSER 1000\n");
        Path cfg = Files.writeString(dir.resolve(".hadolint.yaml"), "ignored: [DL3057]\nfailure-threshold: error\n"
                + "approved-bases: ['docker.io/library/*']\n");
        Run r = lint("--config", cfg.toString(), "--format", "json", df.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(JSON.readTree(r.out()).findValuesAsText("code")).containsExactly("PC1001");
    }

    @Test
    void lint_badPolicyKey_namesKeyAndLineExitTwo() throws Exception {
        Path cfg = Files.writeString(dir.resolve("p.yaml"), "ignored: [DL3057]\nfailure-treshold: error\n");
        Run r = lint("--config", cfg.toString(), dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("p.yaml line 2").contains("failure-treshold");
    }

    @Test
    void lint_missingOrBinaryFile_clearErrorExitTwo() throws Exception {
        Path bin = Files.write(dir.resolve("Dockerfile.bin"), new byte[] {0, 1, 2});
        Run missing = lint(dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
        Run binary = lint(bin.toString());
        assertThat(binary.exit()).isEqualTo(2);
        assertThat(binary.err()).contains("binary");
    }

    @Test
    void lint_syntaxError_isDl1000InReport() throws Exception {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM a:1\nNOPE x\n");
        Run r = lint("--format", "json", df.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(JSON.readTree(r.out()).get(0).get("code").asText()).isEqualTo("DL1000");
        assertThat(JSON.readTree(r.out()).get(0).get("line").asInt()).isEqualTo(2);
    }

    @Test
    void lint_sarifCheckstyleGitlab_renderValidDocuments() throws Exception {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM debian\n");
        JsonNode sarif = JSON.readTree(lint("--format", "sarif", df.toString()).out());
        assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.at("/runs/0/results/0/ruleId").asText()).startsWith("DL");
        assertThat(lint("--format", "checkstyle", df.toString()).out()).startsWith("<?xml").contains("<checkstyle");
        JsonNode gitlab = JSON.readTree(lint("--format", "gitlab", df.toString()).out());
        assertThat(gitlab.get(0).get("fingerprint").asText()).hasSize(64);
        assertThat(gitlab.get(0).at("/location/lines/begin").asInt()).isEqualTo(1);
    }

    @Test
    void lint_fixWithCatalog_rewritesFileAndPrintsDiff() throws Exception {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM node:10.4.8-alpine3.18\nUSER node\n");
        Path catalog = Files.writeString(dir.resolve("catalog.yaml"), "images:\n  node: [10.4.8-alpine3.18, 10.4.9-alpine3.18]\n");
        Run r = lint("--fix", "--catalog", catalog.toString(), "-t", "error", df.toString());
        assertThat(r.out()).contains("-FROM node:10.4.8-alpine3.18").contains("+FROM node:10.4.9-alpine3.18");
        assertThat(Files.readString(df)).isEqualTo("FROM node:10.4.9-alpine3.18\nUSER node\n");
        assertThat(r.exit()).isZero();
        assertThat(lint("--fix", df.toString()).exit()).isEqualTo(2);
    }

    @Test
    void lint_unknownFormat_exitTwo() {
        assertThat(lint("--format", "xml", dir.toString()).exit()).isEqualTo(2);
    }
}
