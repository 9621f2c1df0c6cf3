package dev.portcullis.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command left running (as in a terminal of its own): started with bash, ready once its output shows a text, stopped by its process id. */
public final class Background implements AutoCloseable {
    private final Process process;
    private final Path out;

    private Background(Process process, Path out) {
        this.process = process;
        this.out = out;
    }

    /** Runs {@code line} with bash in {@code dir} (stdout and stderr together) until its output contains {@code readyText}. */
    public static Background start(Path dir, Map<String, String> env, String line, String readyText)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "background", ".out");
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", "exec " + line)).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        Background b = new Background(pb.start(), out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // the first run may build the jar
        while (!b.output().contains(readyText)) {
            if (!b.process.isAlive() || System.nanoTime() > deadline) {
                b.close();
                throw new IllegalStateException(line + " did not get ready:\n" + b.output());
            }
            Thread.sleep(100);
        }
        return b;
    }

    /** The process id (bash execs the command, and the launcher execs the JVM). */
    public long pid() {
        return process.pid();
    }

    /** What it printed so far. */
    public String output() throws IOException {
        return Files.readString(out);
    }

    @Override
    public void close() {
        Processes.stop(process, 10);
    }
}
