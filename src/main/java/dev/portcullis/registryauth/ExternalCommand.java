package dev.portcullis.registryauth;

import dev.portcullis.config.ConfigSection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A configured program run for one decision, as docker_auth's {@code ext_auth}/{@code ext_authz} run
 * theirs: no shell, the request on standard input, the exit status as the answer. Bounded in time and
 * output; a program that hangs is killed, and the request fails closed.
 */
record ExternalCommand(String command, List<String> args, Duration timeout) {
    static final Set<String> KEYS = Set.of("command", "args", "timeout");
    private static final int MAX_OUTPUT = 64 * 1024;

    ExternalCommand {
        args = List.copyOf(args);
    }

    static ExternalCommand from(ConfigSection s) {
        s.rejectUnknown(KEYS);
        String command = s.requireString("command");
        Duration timeout = s.duration("timeout", Duration.ofSeconds(5));
        if (timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw s.error("timeout", "must be between 1ms and 1m");
        }
        return new ExternalCommand(command, s.stringList("args"), timeout);
    }

    /** The exit status and standard output of one run. */
    record Outcome(int exitCode, String stdout) {}

    /** Runs the program with {@code stdin}; throws {@link AuthServiceException} when it cannot finish. */
    Outcome run(String stdin, String what) {
        List<String> cmd = new ArrayList<>();
        cmd.add(command);
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AuthServiceException(what + ": cannot start " + command + ": " + e.getMessage());
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The program may exit without reading its input; its exit status still decides.
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AuthServiceException(what + ": " + command + " did not finish within " + timeout.toMillis() + " ms");
            }
            reader.join(1000);
            String stdout;
            synchronized (out) {
                stdout = out.toString(StandardCharsets.UTF_8);
            }
            return new Outcome(p.exitValue(), stdout);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AuthServiceException(what + ": interrupted");
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    if (out.size() < MAX_OUTPUT) {
                        out.write(buf, 0, Math.min(n, MAX_OUTPUT - out.size()));
                    }
                }
            }
        } catch (IOException e) {
            // the process ended; what was read is kept
        }
    }
}
