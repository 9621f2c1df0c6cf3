package dev.portcullis.testbed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code serve} as its own process (started by a command line, e.g. the documented {@code ./portcullis
 * serve}), ready once it has printed the registry snippet and {@code /readyz} answers; stopped with
 * SIGTERM, by PID, as a supervisor stops it.
 */
public final class ServeProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;
    private final int port;

    private ServeProcess(Process process, Path out, Path err, int port) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.port = port;
    }

    /**
     * Runs {@code commandLine} with bash in {@code dir}, serving on 127.0.0.1:{@code port} (through
     * PORTCULLIS_SERVER_ADDR, which overrides any configuration file).
     */
    public static ServeProcess start(Path dir, Map<String, String> env, String commandLine, int port)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "serve", ".out");
        Path err = Files.createTempFile(dir, "serve", ".err");
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", "exec " + commandLine)).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PORTCULLIS_SERVER_ADDR", "127.0.0.1:" + port);
        ServeProcess s = new ServeProcess(pb.start(), out, err, port);
        try {
            s.awaitReady();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // the first run may build the jar
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("serve exited " + process.exitValue() + ":\n" + stdout() + stderr());
            }
            if (stdout().contains("rootcertbundle")) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz")).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("serve did not get ready:\n" + stdout() + stderr());
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The serve JVM's process id (the launcher execs it), e.g. to stop and continue it with signals. */
    public long pid() {
        return process.pid();
    }

    public String stdout() throws IOException {
        return Files.readString(out);
    }

    public String stderr() throws IOException {
        return Files.readString(err);
    }

    /** SIGTERM, then up to a minute for the shutdown (on JDK 25 the first run writes its start-up cache then). */
    @Override
    public void close() {
        Processes.stop(process, 60);
    }
}
