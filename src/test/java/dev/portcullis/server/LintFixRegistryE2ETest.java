package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.cli.Main;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.testbed.Images;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.Registry;
import dev.portcullis.testbed.RequiresTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lint --fix --pin-digest --notify} against the real registry 2.8, which delegates auth to
 * {@code serve}: the digest comes through the anonymous token flow and equals what skopeo reports.
 */
@RequiresTools({"docker-registry", "skopeo", "umoci", "busybox"})
@Tag("e2e")
class LintFixRegistryE2ETest {
    @TempDir
    static Path dir;

    private static Application app;
    private static Registry registry;
    private static HttpServer hook;
    private static final AtomicReference<String> notified = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        String hash = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
        app = Application.start(ConfigDocument.parse("""
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                token: {issuer: test-issuer}
                users:
                  alice: {password: "%s"}
                  "": {}
                acl:
                  - match: {account: alice}
                    actions: ["*"]
                  - match: {account: "", name: "base/*"}
                    actions: [pull]
                """.formatted(dir.resolve("data"), hash), "a.yml", Map.of()), Clock.systemUTC());
        Files.createDirectories(dir.resolve("registry"));
        registry = Registry.start(dir.resolve("registry"), "http://127.0.0.1:" + app.port() + "/auth", "registry.local",
                "test-issuer", dir.resolve("data").resolve("token.crt"), null);
        Files.createDirectories(dir.resolve("img"));
        String layout = Images.busyboxLayout(dir.resolve("img"));
        for (String tag : new String[] {"1.36.0", "1.36.1"}) {
            Processes.ok(dir, "skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:secret", layout,
                    "docker://" + registry.host() + "/base/busybox:" + tag);
        }
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            notified.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
    }

    @AfterAll
    static void stop() {
        if (hook != null) {
            hook.stop(0);
        }
        if (registry != null) {
            registry.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void fix_pinDigest_movesToNewestPatchPinsDigestAndNotifies() throws Exception {
        String image = registry.host() + "/base/busybox";
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM " + image + ":1.36.0\nUSER 1000\n");
        Path catalog = Files.writeString(dir.resolve("catalog.yaml"), "images:\n  " + image + ": [1.36.0, 1.36.1]\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("lint", "--fix", "--catalog", catalog.toString(), "--pin-digest", "--insecure-registry",
                registry.host(), "--notify", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook", "-t", "error",
                df.toString());
        assertThat(exit).as(out + "\n" + err).isZero();

        String digest = Processes.ok(dir, "skopeo", "inspect", "--tls-verify=false", "--no-creds", "--format", "{{.Digest}}",
                "docker://" + image + ":1.36.1").strip();
        assertThat(Files.readString(df)).isEqualTo("FROM " + image + ":1.36.1@" + digest + "\nUSER 1000\n");
        assertThat(out.toString()).contains("+FROM " + image + ":1.36.1@" + digest);
        assertThat(notified.get()).contains("\"from\":\"" + image + ":1.36.0\"").contains(digest);
    }
}
