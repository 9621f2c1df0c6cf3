package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.ServeProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve's ahead-of-time cache (JDK 25 and newer) as a user meets it through {@code ./portcullis}: trained
 * out of sight after a rebuilt jar, used by the next start, never made from a start that failed.
 */
@RequiresTools({"bash", "flock"})
class ServeStartupCacheIT {
    private static final Path TARGET = Launcher.projectRoot().resolve("target");
    private static final Path JAR = TARGET.resolve("portcullis.jar");
    private static final Path CACHE = TARGET.resolve("portcullis-serve.aot");

    @TempDir
    Path dir;

    @BeforeEach
    void install() throws IOException {
        assumeTrue(Runtime.version().feature() >= 25, "the ahead-of-time cache needs JDK 25, this is "
                + Runtime.version().feature());
        Launcher.install(dir);
        awaitNoTraining();   // one another test's serve may have started
    }

    /** The jar as a build leaves it: newer than any cache, so the launcher drops that cache. */
    private static void rebuildJar() throws IOException {
        Files.setLastModifiedTime(JAR, FileTime.from(Instant.now()));
    }

    /** The training holds the checkout's lock until it has written the cache or given up. */
    private static void awaitNoTraining() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (Processes.run(TARGET, "flock", "-n", CACHE + ".lock", "true").exitCode() != 0) {
            assertThat(System.nanoTime()).as("training still running after 4 minutes").isLessThan(deadline);
            sleep(500);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean mapsTheCache(ServeProcess s) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(s.pid()), "maps")).contains(CACHE.toString());
    }

    private static String console(ServeProcess s) throws IOException {
        return s.stdout() + s.stderr();
    }

    @Test
    void serve_firstStartAfterRebuild_trainsOutOfSightAndTheNextStartMapsTheCache() throws Exception {
        rebuildJar();
        Map<String, String> env = Launcher.environment(dir, Map.of());
        String first;
        String during;
        try (ServeProcess s = ServeProcess.start(dir, env, "./portcullis serve", Processes.freePort())) {
            assertThat(mapsTheCache(s)).as("the cache of the old jar").isFalse();
            // A second serve of the checkout while the first one's training runs: without the cache.
            Path other = Files.createDirectories(dir.resolve("other"));
            Launcher.install(other);
            try (ServeProcess o = ServeProcess.start(other, Launcher.environment(other, Map.of()), "./portcullis serve",
                    Processes.freePort())) {
                assertThat(mapsTheCache(o)).isFalse();
                awaitNoTraining();
                during = console(o);
            }
            first = console(s);
        }
        assertThat(first + during).doesNotContain("AOT", "[aot");
        assertThat(CACHE).exists();
        assertThat(Files.getLastModifiedTime(CACHE).toInstant()).isAfter(Files.getLastModifiedTime(JAR).toInstant());
        assertThat(Files.readString(TARGET.resolve("portcullis-serve.aot.log"))).contains("AOTCache creation is complete");

        try (ServeProcess s = ServeProcess.start(dir, env, "./portcullis serve", Processes.freePort())) {
            assertThat(mapsTheCache(s)).as("the next start uses the cache").isTrue();
            first = console(s);
        }
        assertThat(first).doesNotContain("AOT", "[aot");
    }

    @Test
    void serve_firstStartAfterRebuildFails_trainsNoCacheAndPrintsOnlyItsError() throws Exception {
        rebuildJar();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Launcher.Result r = Launcher.run(dir, Map.of("PORTCULLIS_SERVER_ADDR", "127.0.0.1:" + taken.getLocalPort()), "serve");
            assertThat(r.exitCode()).as(r.describe()).isNotZero();
            assertThat(r.out() + r.err()).contains("cannot listen on").doesNotContain("AOT", "[aot");
        }
        awaitNoTraining();
        assertThat(CACHE).doesNotExist();
        assertThat(Files.readString(TARGET.resolve("portcullis-serve.aot.log"))).contains("not trained");
    }
}
