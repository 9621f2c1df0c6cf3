package dev.portcullis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.testbed.Background;
import dev.portcullis.testbed.Images;
import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.ServeProcess;
import dev.portcullis.testbed.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real docker CLI against Podman's Docker API behind {@code ./portcullis engine-guard}, with
 * certificates from {@code ./portcullis pki}: what a user runs, end to end. Podman is started once
 * for the class, on storage of its own; when it cannot start, every test is skipped saying why.
 */
@RequiresTools({"podman", "runc", "docker", "skopeo", "umoci", "curl", "ss"})
@Tag("e2e")
class EngineGuardIT {
    @TempDir
    static Path dir;

    private static Process podman;
    private static String podmanProblem;
    private static Background guard;
    private static Background learner;
    private static ServeProcess serve;
    private static int port;
    private static int learnerPort;

    @BeforeAll
    static void start() throws Exception {
        Launcher.install(dir);
        startPodman();
        pki("init", "--dir", "pki", "--trust-domain", "example.org");
        pki("issue", "server", "--dir", "pki", "--dns", "localhost", "--ip", "127.0.0.1", "--out", "engine");
        pki("issue", "client", "--dir", "pki", "--name", "ci", "--spiffe-id", "spiffe://example.org/ci", "--docker-context", "ci");
        pki("issue", "client", "--dir", "pki", "--name", "bob", "--docker-context", "bob");
        pki("issue", "client", "--dir", "pki", "--name", "reader", "--docker-context", "reader");
        pki("issue", "client", "--dir", "pki", "--name", "gone", "--docker-context", "gone");
        pki("revoke", "--dir", "pki", "--identity", "gone");
        pki("init", "--dir", "other-ca");
        pki("issue", "client", "--dir", "other-ca", "--name", "ci", "--docker-context", "stranger");
        Files.createDirectories(dir.resolve("share"));
        Files.writeString(dir.resolve("rules.yaml"), """
                identities:
                  spiffe://example.org/ci: {endpoints: [run], binds: [%s]}
                  bob: {endpoints: [run]}
                """.formatted(dir.resolve("share")));
        Files.writeString(dir.resolve("learning.yaml"), "learning: true\n");
        Files.writeString(dir.resolve("policy.yaml"), """
                admissionWhitelistPatterns:
                  - namePattern: "localhost/busybox:1"
                defaultAdmissionRule:
                  evaluationMode: ALWAYS_DENY
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                """);
        port = Processes.freePort();
        learnerPort = Processes.freePort();
        if (podmanProblem == null) {
            int servePort = Processes.freePort();
            Map<String, String> serveEnv = Launcher.environment(dir, Map.of("PORTCULLIS_SERVER", "http://127.0.0.1:" + servePort));
            serve = ServeProcess.start(dir, serveEnv, "./portcullis serve", servePort);
            Launcher.Result imported = Launcher.shell(dir, serveEnv, "./portcullis policy import policy.yaml", null);
            assertThat(imported.exitCode()).as(imported.describe()).isZero();
            guard = Background.start(dir, Launcher.environment(dir, Map.of(
                    "PORTCULLIS_ENGINE_GUARD_LISTEN", "127.0.0.1:" + port,
                    "PORTCULLIS_ENGINE_GUARD_UPSTREAM", "unix:" + dir.resolve("podman.sock"),
                    "PORTCULLIS_ENGINE_GUARD_CRL", "pki/crl.pem",
                    "PORTCULLIS_ENGINE_GUARD_POLICY_SERVER", "http://127.0.0.1:" + servePort)),
                    "./portcullis engine-guard --ca pki/ca.pem --cert engine.pem --key engine-key.pem --rules rules.yaml",
                    "engine-guard listening");
            learner = Background.start(dir, Launcher.environment(dir, Map.of()),
                    "./portcullis engine-guard --listen 127.0.0.1:" + learnerPort + " --upstream unix:" + dir.resolve("podman.sock")
                            + " --ca pki/ca.pem --cert engine.pem --key engine-key.pem --rules learning.yaml --audit-dir learned",
                    "engine-guard listening");
            Images.busyboxLayout(dir);
            Processes.ok(dir, "skopeo", "copy", "oci:oci:base", "docker-archive:" + dir.resolve("busybox.tar") + ":localhost/busybox:1");
            Processes.Result load = docker("ci", "load", "-i", "busybox.tar");
            assertThat(load.output()).as(load.output()).contains("localhost/busybox:1");
        }
    }

    private static void startPodman() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("containers.conf"), """
                [containers]
                default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
                netns = "none"
                [engine]
                runtime = "runc"
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                """);
        // vfs: no overlay mounts left behind in the temporary directory when the class is done.
        ProcessBuilder pb = new ProcessBuilder("podman", "--storage-driver", "vfs", "--root", dir.resolve("storage").toString(), "--runroot",
                dir.resolve("run").toString(), "system", "service", "--time=0", "unix://" + dir.resolve("podman.sock"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("podman.log").toFile());
        pb.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
        podman = pb.start();
        for (int i = 0; i < 100 && !Files.exists(dir.resolve("podman.sock")); i++) {
            if (!podman.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        if (!Files.exists(dir.resolve("podman.sock"))) {
            podmanProblem = "podman system service did not start: " + Files.readString(dir.resolve("podman.log"));
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {guard, learner, serve}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // stopping the rest all the same
                }
            }
        }
        if (podman != null) {
            Processes.stop(podman, 10);
        }
    }

    @BeforeEach
    void podmanRuns() {
        assumeTrue(podmanProblem == null, podmanProblem);
    }

    private static void pki(String... args) {
        Launcher.Result r = Launcher.run(dir, Map.of(), java.util.stream.Stream.concat(java.util.stream.Stream.of("pki"),
                java.util.stream.Stream.of(args)).toArray(String[]::new));
        assertThat(r.exitCode()).as(r.describe()).isZero();
    }

    private static Processes.Result docker(String who, String... args) {
        return docker(port, who, args);
    }

    private static Processes.Result docker(int guardPort, String who, String... args) {
        List<String> cmd = new ArrayList<>(List.of("timeout", "60", "docker", "--tlsverify", "--tlscacert", who + "/ca.pem",
                "--tlscert", who + "/cert.pem", "--tlskey", who + "/key.pem", "-H", "tcp://127.0.0.1:" + guardPort));
        cmd.addAll(List.of(args));
        return Processes.run(dir, cmd);
    }

    private static String ok(String who, String... args) {
        Processes.Result r = docker(who, args);
        assertThat(r.exitCode()).as("docker " + String.join(" ", args) + ":\n" + r.output()).isZero();
        return r.output();
    }

    @Test
    void psAndImages_throughTheGuard_answeredByTheEngine() {
        assertThat(ok("ci", "ps", "-a")).contains("CONTAINER ID");
        assertThat(ok("reader", "images")).contains("localhost/busybox");
    }

    @Test
    void run_attachedAndDetached_outputAndStreamedLogs() {
        assertThat(ok("ci", "run", "--rm", "localhost/busybox:1", "echo", "hello through the guard")).contains("hello through the guard");
        String id = ok("ci", "run", "-d", "localhost/busybox:1", "sh", "-c", "echo one; sleep 1; echo two").strip();
        // logs -f streams until the container ends: both lines, the second a second after the first.
        assertThat(ok("ci", "logs", "-f", id)).contains("one", "two");
        ok("ci", "rm", "-f", id);
    }

    @Test
    void exec_hijackedStream_stdinToTheContainerAndItsOutputBack() throws Exception {
        String id = ok("ci", "run", "-d", "localhost/busybox:1", "sleep", "60").strip();
        try {
            Process p = new ProcessBuilder("timeout", "30", "docker", "--tlsverify", "--tlscacert", "ci/ca.pem", "--tlscert",
                    "ci/cert.pem", "--tlskey", "ci/key.pem", "-H", "tcp://127.0.0.1:" + port, "exec", "-i", id, "/bin/busybox", "cat")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write("piped through a hijacked connection\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("piped through a hijacked connection");
            assertThat(p.exitValue()).isZero();
        } finally {
            ok("ci", "rm", "-f", id);
        }
    }

    @Test
    void runPrivilegedOrWithAHostBind_refusedByTheRulesWithTheReasonPrinted() throws IOException {
        Processes.Result privileged = docker("ci", "run", "--rm", "--privileged", "localhost/busybox:1", "true");
        assertThat(privileged.exitCode()).isNotZero();
        assertThat(privileged.output()).contains("portcullis: the rules of spiffe://example.org/ci do not allow a privileged container");
        Processes.Result bind = docker("ci", "run", "--rm", "-v", "/etc:/host-etc", "localhost/busybox:1", "true");
        assertThat(bind.output()).contains("bind mount of host path /etc");
        assertThat(ok("ci", "run", "--rm", "-v", dir.resolve("share") + ":/share", "localhost/busybox:1", "ls", "/share")).isNotNull();
        String audit = auditText();
        assertThat(audit).contains("\"subject\":\"spiffe://example.org/ci\"", "\"object\":\"POST /containers/create\"", "\"decision\":\"deny\"");
    }

    @Test
    void anotherIdentitysContainer_refused_ownContainersAllowed() {
        String id = ok("ci", "run", "-d", "localhost/busybox:1", "sleep", "60").strip();
        try {
            Processes.Result stop = docker("bob", "stop", id);
            assertThat(stop.exitCode()).isNotZero();
            assertThat(stop.output()).contains("belongs to another identity");
            Processes.Result reader = docker("reader", "run", "--rm", "localhost/busybox:1", "true");
            assertThat(reader.output()).contains("the rules of reader do not allow POST /containers/create");
            assertThat(ok("bob", "ps")).contains(id.substring(0, 12)); // reading stays allowed
        } finally {
            ok("ci", "rm", "-f", id);
        }
    }

    @Test
    void noCertificateRevokedOrAnotherCa_refused() {
        Processes.Result none = Processes.run(dir, "timeout", "30", "docker", "--tlsverify", "--tlscacert", "ci/ca.pem",
                "-H", "tcp://127.0.0.1:" + port, "ps");
        assertThat(none.exitCode()).isNotZero();
        Processes.Result revoked = docker("gone", "ps");
        assertThat(revoked.exitCode()).isNotZero();
        assertThat(revoked.output()).contains("the client certificate is revoked");
        Processes.Result stranger = Processes.run(dir, "timeout", "30", "docker", "--tlsverify", "--tlscacert", "ci/ca.pem",
                "--tlscert", "stranger/cert.pem", "--tlskey", "stranger/key.pem", "-H", "tcp://127.0.0.1:" + port, "ps");
        assertThat(stranger.exitCode()).isNotZero();
        assertThat(stranger.output()).doesNotContain("CONTAINER ID");
    }

    @Test
    void smugglingAndPathTricks_refusedBeforeTheEngineSeesThem() throws IOException {
        assertThat(raw("POST /containers/create HTTP/1.1\r\nHost: e\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("both Content-Length and Transfer-Encoding");
        assertThat(raw("GET /containers/%2e%2e/images/json HTTP/1.1\r\nHost: e\r\n\r\n")).startsWith("HTTP/1.1 400").contains("'..'");
        assertThat(raw("GET /containers/json HTTP/1.1\r\nHost: e\r\nX: a\r\n b\r\n\r\n")).startsWith("HTTP/1.1 400").contains("folding");
        // The same request, well formed, is answered by the engine.
        assertThat(raw("GET /v1.41/containers/json HTTP/1.1\r\nHost: e\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void events_streamedAsTheyHappen() throws Exception {
        Process events = new ProcessBuilder("timeout", "60", "docker", "--tlsverify", "--tlscacert", "ci/ca.pem", "--tlscert",
                "ci/cert.pem", "--tlskey", "ci/key.pem", "-H", "tcp://127.0.0.1:" + port, "events", "--filter", "type=container",
                "--format", "{{.Action}} {{.Actor.Attributes.name}}")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("events.out").toFile()).start();
        try {
            Thread.sleep(1000); // the stream is open before the container starts
            ok("ci", "run", "--rm", "--name", "evented", "localhost/busybox:1", "true");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(dir.resolve("events.out")).contains("start evented") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(dir.resolve("events.out"))).contains("start evented");
            assertThat(events.isAlive()).as("the stream stays open").isTrue();
        } finally {
            Processes.stop(events, 5);
        }
    }

    @Test
    void followedLogsOfAQuietContainer_clientGone_engineConnectionClosedToo() throws Exception {
        String id = ok("ci", "run", "-d", "localhost/busybox:1", "sleep", "60").strip();
        try {
            int before = engineConnections();
            Process logs = new ProcessBuilder("docker", "--tlsverify", "--tlscacert", "ci/ca.pem", "--tlscert", "ci/cert.pem",
                    "--tlskey", "ci/key.pem", "-H", "tcp://127.0.0.1:" + port, "logs", "-f", id)
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("logs.out").toFile()).start();
            assertThat(awaitEngineConnections(n -> n > before)).as("the stream's connection to the engine").isGreaterThan(before);
            Processes.stop(logs, 5);
            // The container says nothing more: only the guard noticing the client leave closes the engine's stream.
            assertThat(awaitEngineConnections(n -> n <= before)).isLessThanOrEqualTo(before);
        } finally {
            ok("ci", "rm", "-f", id);
        }
    }

    private static int awaitEngineConnections(java.util.function.IntPredicate until) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n = engineConnections();
        while (!until.test(n) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            n = engineConnections();
        }
        return n;
    }

    // The guard's connections to the engine: its only unix sockets (the engine may take a while to close its own end).
    private static int engineConnections() {
        String owner = "pid=" + guard.pid() + ",";
        return (int) Processes.ok(dir, "ss", "-xpH", "state", "connected").lines().filter(l -> l.contains(owner)).count();
    }

    @Test
    void revokedWhileRunning_refusedOnceTheCrlIsReadAgain() throws Exception {
        pki("issue", "client", "--dir", "pki", "--name", "late", "--docker-context", "late");
        assertThat(ok("late", "ps")).contains("CONTAINER ID");
        pki("revoke", "--dir", "pki", "--identity", "late");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Processes.Result r;
        do {
            Thread.sleep(500);
            r = docker("late", "ps");
        } while (r.exitCode() == 0 && System.nanoTime() < deadline);
        assertThat(r.output()).contains("the client certificate is revoked");
    }

    @Test
    void imageThePolicyDenies_refusedAtCreate() {
        Processes.Result denied = docker("ci", "run", "--rm", "localhost/unvetted:1", "true");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.output()).contains("portcullis: the policy denies image localhost/unvetted:1");
    }

    @Test
    void learningMode_allowsWhatTheRulesWouldDeny_andSuggestRulesWritesItDown() throws IOException {
        // reader is read-only by default; in learning mode its privileged container runs, and is logged.
        assertThat(docker(learnerPort, "reader", "run", "--rm", "--privileged", "localhost/busybox:1", "echo", "learned").output())
                .contains("learned");
        Launcher.Result r = Launcher.run(dir, Map.of(), "engine-guard", "suggest-rules", "--audit-dir", "learned");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.out()).contains("\"reader\":", "\"POST /containers/create\"", "\"POST /containers/*/start\"", "privileged: true");
        Files.writeString(dir.resolve("suggested.yaml"), r.out());
        IdentityRules suggested = EngineRules.read(dir.resolve("suggested.yaml")).forIdentity("reader");
        assertThat(suggested.privileged()).isTrue();
        assertThat(suggested.endpoint("POST", EnginePath.parse("/v1.41/containers/abc/wait"))).isPresent();
    }

    // One request on a TLS connection of identity ci, and the answer up to the end of the stream.
    private static String raw(String request) throws IOException {
        try (SSLSocket s = (SSLSocket) TestCertificates.context(dir.resolve("ci/ca.pem"),
                Optional.of(new Path[] {dir.resolve("ci/cert.pem"), dir.resolve("ci/key.pem")})).getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String auditText() throws IOException {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir.resolve("data/engine-audit"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                b.append(Files.readString(f));
            }
        }
        return b.toString();
    }
}
