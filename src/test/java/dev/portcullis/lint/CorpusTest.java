package dev.portcullis.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real Dockerfiles of the official images' build repositories (../shared/corpus/dockerfiles, or
 * any directory named by PORTCULLIS_LINT_CORPUS): every one parses, and the findings are the ones the
 * checked-in summary explains.
 */
class CorpusTest {

    private static Path corpus() {
        String env = System.getenv("PORTCULLIS_LINT_CORPUS");
        Path dir = env != null ? Path.of(env) : Path.of("..", "shared", "corpus", "dockerfiles");
        assumeTrue(Files.isDirectory(dir), "corpus directory " + dir + " is not there");
        return dir;
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return n.equals("Dockerfile") || n.startsWith("Dockerfile.") || n.endsWith(".Dockerfile");
            }).sorted().toList();
        }
    }

    @Test
    void parse_everyCorpusFile_parsesWithoutError() throws IOException {
        List<Path> files = files(corpus());
        assertThat(files).isNotEmpty();
        List<String> failures = new ArrayList<>();
        for (Path f : files) {
            try {
                Dockerfile d = Dockerfile.parse(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
                assertThat(d.stages()).as(f.toString()).isNotEmpty();
            } catch (DockerfileSyntaxException e) {
                failures.add(f + ":" + e.position() + " " + e.getMessage());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void lint_sharedCorpus_findingsMatchTheExplainedSummary() throws IOException {
        assumeTrue(System.getenv("PORTCULLIS_LINT_CORPUS") == null, "the summary describes the shared corpus only");
        Map<String, Integer> counts = new TreeMap<>();
        Linter linter = new Linter(LintPolicy.defaults());
        for (Path f : files(corpus())) {
            for (Finding finding : linter.lint(f.toString(), Files.readString(f, StandardCharsets.UTF_8))) {
                counts.merge(finding.code(), 1, Integer::sum);
            }
        }
        StringBuilder actual = new StringBuilder();
        counts.forEach((code, n) -> actual.append(code).append(' ').append(n).append('\n'));
        String expected = new String(CorpusTest.class.getResourceAsStream("corpus-findings.txt").readAllBytes(),
                StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.replaceAll("\\s+#.*", "")).reduce("", (a, b) -> a + b + "\n");
        assertThat(actual.toString()).isEqualTo(expected);
    }
}
