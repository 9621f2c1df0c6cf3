package dev.portcullis.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaseImageRewriteTest {
    private static final BaseImageCatalog CATALOG = new BaseImageCatalog(Map.of(
            "node", List.of("10.4.8-alpine3.18", "10.4.9-alpine3.18", "10.4.10-alpine3.18", "10.5.0-alpine3.18",
                    "10.4.11-bookworm", "20.11.1"),
            "python", List.of("3.12.1-slim", "3.12.4-slim", "3.13.0-slim")));

    @ParameterizedTest(name = "[{index}] {0}:{1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "node   | 10.4.8-alpine3.18  | 10.4.10-alpine3.18",
            "node   | 10.4.10-alpine3.18 | -",
            "node   | 10.4.8-bookworm    | 10.4.11-bookworm",
            "node   | 20.11.0            | 20.11.1",
            "node   | 20                 | -",
            "python | 3.12.1-slim        | 3.12.4-slim",
            "python | 3.12.1             | -",
            "ruby   | 3.3.0              | -",
    })
    void newerPatch_sameLineAndVariant_only(String name, String tag, String expected) {
        assertThat(CATALOG.newerPatch(name.trim(), tag.trim()).orElse(null)).isEqualTo(expected == null ? null : expected.trim());
    }

    @Test
    void apply_movesFromLinesAndDiffShowsThem() {
        String before = "FROM node:10.4.8-alpine3.18 AS build\nRUN npm ci\nFROM python:3.12.1-slim\nUSER app\n";
        BaseImageRewrite.Result r = BaseImageRewrite.apply("Dockerfile", before, CATALOG);
        assertThat(r.changes()).extracting(BaseImageRewrite.Change::to)
                .containsExactly("node:10.4.10-alpine3.18", "python:3.12.4-slim");
        assertThat(r.text()).isEqualTo("FROM node:10.4.10-alpine3.18 AS build\nRUN npm ci\nFROM python:3.12.4-slim\nUSER app\n");
        String diff = BaseImageRewrite.diff("Dockerfile", before, r.text());
        assertThat(diff).startsWith("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,")
                .contains("-FROM node:10.4.8-alpine3.18 AS build\n+FROM node:10.4.10-alpine3.18 AS build\n")
                .contains("-FROM python:3.12.1-slim\n+FROM python:3.12.4-slim\n");
    }

    @Test
    void apply_digestPinnedOrArgBuiltFrom_isLeftAlone() {
        String text = "ARG V=10.4.8-alpine3.18\nFROM node:$V\nFROM node:10.4.8-alpine3.18@sha256:"
                + "a".repeat(64) + "\n";
        assertThat(BaseImageRewrite.apply("D", text, CATALOG).changes()).isEmpty();
    }

    static Stream<Arguments> rewrites() {
        String tail = "RUN a\nRUN b\nRUN c\nRUN d\nRUN e\n";
        return Stream.of(
                Arguments.of("the last line, ending with a newline", "RUN x\nFROM node:10.4.8-alpine3.18\n"),
                Arguments.of("the last line, without a final newline", "RUN x\nFROM node:10.4.8-alpine3.18"),
                Arguments.of("the only line, without a final newline", "FROM node:10.4.8-alpine3.18"),
                Arguments.of("the first line", "FROM node:10.4.8-alpine3.18\n" + tail),
                Arguments.of("two changes far apart", "FROM node:10.4.8-alpine3.18\n" + tail + tail + "FROM python:3.12.1-slim\n" + tail),
                Arguments.of("two changes close together", "FROM node:10.4.8-alpine3.18\nRUN a\nRUN b\nRUN c\nRUN d\n"
                        + "RUN e\nFROM python:3.12.1-slim\nRUN f\n"),
                Arguments.of("CRLF lines", "FROM node:10.4.8-alpine3.18\r\nRUN a\r\nFROM python:3.12.1-slim\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rewrites")
    @RequiresTools({"git", "patch"})
    void diff_appliedByGitApplyAndPatch_makesTheRewrittenFile(String what, String before, @TempDir Path dir) throws Exception {
        BaseImageRewrite.Result r = BaseImageRewrite.apply("Dockerfile", before, CATALOG);
        assertThat(r.changes()).isNotEmpty();
        Files.writeString(dir.resolve("fix.diff"), BaseImageRewrite.diff("Dockerfile", before, r.text()));
        for (String[] tool : List.of(new String[] {"git", "apply", "fix.diff"}, new String[] {"patch", "-s", "-p1", "-i", "fix.diff"})) {
            Files.writeString(dir.resolve("Dockerfile"), before);
            Processes.ok(dir, tool);
            assertThat(Files.readString(dir.resolve("Dockerfile"))).as(tool[0]).isEqualTo(r.text());
        }
    }
}
