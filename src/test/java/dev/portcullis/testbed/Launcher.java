package dev.portcullis.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The project's {@code ./portcullis} launcher run as a user runs it: a process of its own (the built
 * jar, a JVM per command) whose standard output, standard error and exit status are what is checked.
 */
public final class Launcher {
    private Launcher() {}

    /** The outcome of one command: exit status and the two streams, kept apart. */
    public record Result(int exitCode, String out, String err) {
        /** For assertion messages. */
        public String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** The checkout's root (Maven runs the tests there). */
    public static Path projectRoot() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /**
     * Puts {@code portcullis} in {@code dir} and in {@code dir/bin}: scripts that exec the checkout's launcher,
     * so documented command lines ({@code ./portcullis ...} or {@code portcullis ...} on the PATH) run
     * unchanged with {@code dir} as the working directory. Returns the bin directory.
     */
    public static Path install(Path dir) throws IOException {
        String script = "#!/bin/sh\nexec '" + projectRoot().resolve("portcullis") + "' \"$@\"\n";
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (Path p : List.of(dir.resolve("portcullis"), bin.resolve("portcullis"))) {
            Files.writeString(p, script);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    /**
     * The environment a command runs in: this JVM's, without any PORTCULLIS_ variable of the developer's
     * (an admin token or server of theirs would change what is tested), then {@code extra}, with
     * {@code dir/bin} first on the PATH.
     */
    public static Map<String, String> environment(Path dir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("PORTCULLIS_") && !k.startsWith("PORTCULLIS_TEST_"));
        env.put("PATH", dir.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.putAll(extra);
        return env;
    }

    /** Runs {@code ./portcullis ARGS} in {@code dir} (after {@link #install}). */
    public static Result run(Path dir, Map<String, String> extraEnv, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("./portcullis"));
        command.addAll(List.of(args));
        return exec(dir, environment(dir, extraEnv), command, null);
    }

    /** Runs a shell command line in {@code dir}, as a user types it; {@code stdin} may be null. */
    public static Result shell(Path dir, Map<String, String> env, String line, String stdin) {
        return exec(dir, env, List.of("bash", "-c", line), stdin);
    }

    /** Runs a command to completion (at most three minutes: the first run may build the jar). */
    public static Result exec(Path dir, Map<String, String> env, List<String> command, String stdin) {
        try {
            Path out = Files.createTempFile("out", ".log");
            Path err = Files.createTempFile("err", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command + "\n" + Files.readString(err));
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
