package dev.portcullis.bench.lint;

import dev.portcullis.lint.DockerfileSources;
import dev.portcullis.lint.LintPolicy;
import dev.portcullis.lint.Linter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lints every file of the corpus (system property {@code corpus}, default ../shared/corpus/dockerfiles)
 * per operation: files/s = ops/s × the number of files, which the setup prints.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LintBenchmark {
    private final List<String[]> files = new ArrayList<>();
    private Linter linter;

    @Setup
    public void load() throws IOException {
        Path dir = Path.of(System.getProperty("corpus", "../shared/corpus/dockerfiles"));
        for (Path p : DockerfileSources.expand(dir)) {
            files.add(new String[] {p.toString(), DockerfileSources.read(p)});
        }
        linter = new Linter(LintPolicy.defaults());
        System.out.println("lint benchmark: " + files.size() + " files per operation");
    }

    @Benchmark
    public void lintCorpus(Blackhole bh) {
        for (String[] f : files) {
            bh.consume(linter.lint(f[0], f[1]));
        }
    }
}
