package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.FileAuditLog;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token answered is a decision on record: {@code serve} in its own JVM on the embedded H2 store,
 * killed with SIGKILL right after its answers, still has every one of them in the audit log.
 */
class ServeCrashDurabilityTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void serve_killedRightAfterAnswering_everyAnsweredDecisionIsInTheAuditLog() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String hash = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
        Path config = dir.resolve("auth.yml");
        Files.writeString(config, """
                server: {addr: "127.0.0.1:%d"}
                data_dir: "%s"
                users:
                  alice: {password: "%s"}
                acl:
                  - match: {account: alice, name: "team/*"}
                    actions: ["pull"]
                """.formatted(port, dir.resolve("data"), hash));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.portcullis.cli.Main", "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile()).start();
        int answered = 0;
        try {
            awaitReady(port, serve);
            String basic = "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 20; i++) {
                String scope = i % 2 == 0 ? "repository:team/app" + i + ":pull" : "repository:other/app" + i + ":pull";
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/auth?service=registry.local&scope=" + scope))
                        .header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                answered++;
            }
        } finally {
            serve.destroyForcibly();   // SIGKILL: no shutdown hook, no close of the store
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        // the next start reads the audit log the killed process wrote, and every answered decision is in it
        try (FileAuditLog log = FileAuditLog.open(dir.resolve("data/audit"))) {
            List<AuditEvent> tokens = log.recent(1000).stream().filter(e -> e.action().equals("token")).toList();
            assertThat(tokens).hasSize(answered);
            assertThat(tokens).filteredOn(e -> e.object().contains("other/")).hasSize(10)
                    .allSatisfy(e -> assertThat(e.decision()).isEqualTo("deny"));
            assertThat(tokens).filteredOn(e -> e.object().contains("team/")).hasSize(10)
                    .allSatisfy(e -> assertThat(e.decision()).isEqualTo("allow"));
        }
    }

    private static void awaitReady(int port, Process serve) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(serve.isAlive()).as("serve exited early").isTrue();
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("serve was not ready within 60 s");
    }
}
