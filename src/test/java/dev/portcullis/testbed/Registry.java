package dev.portcullis.testbed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real distribution registry (Debian's docker-registry, 2.8) with token auth delegated to us,
 * bound to 127.0.0.1 on a port of its own, stopped by PID.
 */
public final class Registry implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private Registry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the registry trusting {@code rootCertBundle} for tokens from {@code realm}. */
    public static Registry start(Path dir, String realm, String service, String issuer, Path rootCertBundle,
                                 String notificationsUrl) throws IOException, InterruptedException {
        return start(dir, Processes.freePort(), realm, service, issuer, rootCertBundle, notificationsUrl, Map.of());
    }

    /** As above, on {@code port}, the notifications carrying {@code headers} (a shared secret, say). */
    public static Registry start(Path dir, int port, String realm, String service, String issuer, Path rootCertBundle,
                                 String notificationsUrl, Map<String, String> headers) throws IOException, InterruptedException {
        StringBuilder h = new StringBuilder();
        headers.forEach((k, v) -> h.append("        ").append(k).append(": [\"").append(v).append("\"]\n"));
        String notifications = notificationsUrl == null ? "" : """
                notifications:
                  endpoints:
                    - name: portcullis
                      url: "%s"
                      timeout: 1s
                      threshold: 5
                      backoff: 1s
                """.formatted(notificationsUrl) + (headers.isEmpty() ? "" : "      headers:\n" + h);
        String yaml = """
                version: 0.1
                log: {level: warn}
                storage: {filesystem: {rootdirectory: %s}, delete: {enabled: true}}
                http: {addr: "127.0.0.1:%d"}
                auth:
                  token:
                    realm: "%s"
                    service: "%s"
                    issuer: "%s"
                    rootcertbundle: "%s"
                %s""".formatted(dir.resolve("data"), port, realm, service, issuer, rootCertBundle, notifications);
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, yaml);
        Path log = dir.resolve("registry.log");
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Registry r = new Registry(p, port, log);
        r.awaitReady();
        return r;
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("registry exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 401) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("registry did not start:\n" + Files.readString(log));
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        Processes.stop(process, 5);
    }
}
