package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.testbed.AdmissionReviews;
import dev.portcullis.testbed.Background;
import dev.portcullis.testbed.DigestRegistry;
import dev.portcullis.testbed.DocCommands;
import dev.portcullis.testbed.Gpg;
import dev.portcullis.testbed.KubernetesModel;
import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.ServeProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code portcullis} command line of README.md and docs/, taken from the documents and run as
 * written — {@code ./portcullis} as its own process, in a reader's working directory, in document
 * order — against the files and the running {@code serve} the documents assume. Each must exit as
 * documented and print what it is for; a documented command without a case here fails, and so does a
 * case whose command the documents no longer show.
 */
@RequiresTools({"bash", "openssl", "gpg"})
@Tag("e2e")
class DocumentedCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEX = "4f".repeat(32);
    private static final String ATTESTOR = "projects/p/attestors/ci";

    @TempDir
    static Path dir;

    @TempDir
    static Path gnupg;

    @TempDir
    static Path tls;

    @AutoClose
    private static DigestRegistry registry;
    private static HttpServer hook;
    private static final List<String> notifications = new CopyOnWriteArrayList<>();
    @AutoClose
    private static ServeProcess serve;
    @AutoClose
    private static Gpg gpg;
    private static int port;
    private static int guardPort;
    @AutoClose
    private static Background guard;
    // What a reader replaces in a documented line before running it, filled in as the fixtures are made.
    private static final Map<String, String> placeholders = new LinkedHashMap<>();

    @BeforeAll
    static void fixtures() throws Exception {
        Launcher.install(dir);
        port = Processes.freePort();
        guardPort = Processes.freePort();
        placeholders.put("127.0.0.1:2376", "127.0.0.1:" + guardPort);
        placeholders.put("/run/podman/podman.sock", dir.resolve("no-engine.sock").toString());
        copyDirectory(Launcher.projectRoot().resolve("examples"), dir.resolve("examples"));
        registry = DigestRegistry.start(tls);
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/team-a", ex -> {
            notifications.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        placeholders.put("<digest>", HEX);
        placeholders.put("https://hooks.example.com/team-a", "http://127.0.0.1:" + hook.getAddress().getPort() + "/team-a");

        Processes.ok(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ci-key.pem");
        Processes.ok(dir, "openssl", "ec", "-in", "ci-key.pem", "-pubout", "-out", "ci-key.pub");
        gpg = Gpg.withNewKey(gnupg, "ci@example.com");
        Files.writeString(dir.resolve("ci.asc"), gpg.armoredPublicKey());
        Files.writeString(dir.resolve("ci.sec.asc"), gpg.armoredSecretKey());
        Files.writeString(dir.resolve("catalog.yaml"), """
                images:
                  %s/library/node: [20.11.0-alpine3.19, 20.11.1-alpine3.19, 22.2.0-bookworm-slim]
                """.formatted(registry.host()));
        Files.writeString(dir.resolve("policy.yaml"), """
                defaultAdmissionRule:
                  evaluationMode: REQUIRE_ATTESTATION
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  requireAttestationsBy: [%s]
                """.formatted(ATTESTOR));
        dockerfiles();
        Files.writeString(dir.resolve("shop.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: shop, namespace: web}
                spec:
                  template:
                    spec:
                      containers: [{name: app, image: "gcr.io/p/app:1.4"}]
                """);
        AdmissionReviews.opensslCa(dir);
    }

    @AfterAll
    static void stopHook() {
        if (hook != null) {
            hook.stop(0);
        }
    }

    // Two Dockerfiles below the working directory, on the old patch release of a catalogued base image.
    private static void dockerfiles() throws IOException {
        String text = "FROM " + registry.host() + "/library/node:20.11.0-alpine3.19\n"
                + "RUN apt-get update && apt-get install -y curl\nCMD [\"node\"]\n";
        Files.createDirectories(dir.resolve("path/to"));
        Files.writeString(dir.resolve("path/to/Dockerfile"), text);
        Files.writeString(dir.resolve("Dockerfile"), text);
    }

    /** The documented commands, each with what it needs first and what it must do. */
    private static List<Case> cases() {
        String node = "/library/node:20.11.1-alpine3.19";
        return List.of(
                new Case("./portcullis serve").serve()
                        .check(r -> assertThat(r.out()).contains("serving on port " + port, "rootcertbundle",
                                "every login is refused"))
                        .check(r -> assertThat(dir.resolve("data/token.crt")).isRegularFile()),
                new Case("./portcullis serve --config examples/auth.yml").serve()
                        .check(r -> assertThat(r.out()).contains("realm: \"http://127.0.0.1:" + port + "/auth\"",
                                "issuer: \"portcullis\"").doesNotContain("every login is refused")),
                new Case("./portcullis hash-password").stdin("secret\n").exits(0)
                        .check(r -> assertThat(r.out()).startsWith("$2y$10$")),
                new Case("./portcullis lint path/to/Dockerfile").exits(1)
                        .check(r -> assertThat(r.out()).contains("path/to/Dockerfile:2 DL3008 warning")),
                new Case("./portcullis lint --format json .").exits(1)
                        .check(r -> assertThat(JSON.readTree(r.out()).findValuesAsText("file"))
                                .contains("./Dockerfile", "./path/to/Dockerfile")),
                new Case("./portcullis lint --format sarif -t error - < Dockerfile").exits(0)
                        .check(r -> assertThat(JSON.readTree(r.out()).path("version").asText()).isEqualTo("2.1.0")),
                new Case("./portcullis lint --ignore DL3008 --no-fail --file-path-in-report app/Dockerfile - < Dockerfile").exits(0)
                        .check(r -> assertThat(r.out()).contains("app/Dockerfile:2 DL3009").doesNotContain("DL3008")),
                new Case("./portcullis lint --fix --dry-run --no-fail --catalog catalog.yaml . > fix.diff && git apply fix.diff")
                        .before(DocumentedCommandsIT::dockerfiles).exits(0)
                        .check(r -> assertThat(dir.resolve("fix.diff")).content().startsWith("--- a/Dockerfile\n+++ b/Dockerfile\n"))
                        .check(r -> assertThat(dir.resolve("path/to/Dockerfile")).content().contains("FROM " + registry.host() + node)),
                new Case("./portcullis lint --fix --catalog catalog.yaml .").before(DocumentedCommandsIT::dockerfiles).exits(1)
                        .check(r -> assertThat(r.out()).contains("+FROM " + registry.host() + node))
                        .check(r -> assertThat(dir.resolve("Dockerfile")).content().contains(node)),
                new Case("./portcullis lint --fix --catalog catalog.yaml --pin-digest --notify https://hooks.example.com/team-a .")
                        .before(DocumentedCommandsIT::dockerfiles).env("PORTCULLIS_JAVA_OPTS", registry.javaOptions()).exits(1)
                        .check(r -> assertThat(r.out()).contains("+FROM " + registry.host() + node + "@"
                                + DigestRegistry.digestOf("library/node", "20.11.1-alpine3.19")))
                        .check(r -> assertThat(notifications).hasSize(2).allSatisfy(n -> assertThat(n).contains("20.11.1"))),
                new Case("./portcullis attest create-signature-payload --artifact-url gcr.io/p/app@sha256:<digest> > payload.json")
                        .exits(0)
                        .check(r -> assertThat(JSON.readTree(dir.resolve("payload.json").toFile())
                                .at("/critical/image/docker-manifest-digest").asText()).isEqualTo("sha256:" + HEX)),
                new Case("./portcullis attest sign --payload payload.json --pkix-private-key ci-key.pem "
                        + "--signature-algorithm ECDSA_P256_SHA256 --output payload.sig").exits(0)
                        .check(r -> assertThat(Processes.ok(dir, "openssl", "dgst", "-sha256", "-verify", "ci-key.pub",
                                "-signature", "payload.sig", "payload.json")).contains("Verified OK")),
                new Case("./portcullis attest sign --payload payload.json --pgp-secret-key ci.sec.asc --pgp-attached "
                        + "--output signed.asc").exits(0)
                        .check(r -> assertThat(gpg.run("--decrypt", dir.resolve("signed.asc").toString()))
                                .contains("docker-manifest-digest")),
                new Case("./portcullis attest verify --artifact-url gcr.io/p/app@sha256:<digest> --payload payload.json "
                        + "--signature payload.sig --pkix-public-key ci-key.pub --signature-algorithm ECDSA_P256_SHA256")
                        .before(() -> Processes.ok(dir, "openssl", "dgst", "-sha256", "-sign", "ci-key.pem", "-out",
                                "payload.sig", "payload.json")) // the line above it, as a reader runs it
                        .exits(0).check(r -> assertThat(r.out()).startsWith("VALID: gcr.io/p/app@sha256:" + HEX)),
                new Case("./portcullis attest verify --artifact-url gcr.io/p/app@sha256:<digest> --signature signed.asc "
                        + "--pgp-public-key ci.asc").exits(0)
                        .check(r -> assertThat(r.out()).startsWith("VALID: gcr.io/p/app@sha256:" + HEX)),
                new Case("./portcullis attestors create projects/p/attestors/ci --attestation-authority-note ci-builds "
                        + "--description 'built by CI'").exits(0)
                        .check(r -> assertThat(JSON.readTree(r.out()).path("name").asText()).isEqualTo(ATTESTOR)),
                new Case("./portcullis attestors public-keys add --attestor projects/p/attestors/ci --pkix-public-key-file "
                        + "ci-key.pub --pkix-public-key-algorithm ECDSA_P256_SHA256").exits(0)
                        .check(r -> assertThat(r.out()).startsWith("ni:///sha-256;"))
                        .check(r -> placeholders.put("ni:///sha-256;...", r.out().strip())),
                new Case("./portcullis attestors list").exits(0)
                        .check(r -> assertThat(r.out()).containsPattern(ATTESTOR + " +projects/p/notes/ci-builds +1 +built by CI")),
                new Case("./portcullis attestors describe projects/p/attestors/ci").exits(0)
                        .check(r -> assertThat(JSON.readTree(r.out()).at("/publicKeys/0/id").asText())
                                .isEqualTo(placeholders.get("ni:///sha-256;...")))
                        .check(r -> assertThat(JSON.readTree(r.out()).at("/userOwnedGrafeasNote/noteReference").asText())
                                .isEqualTo("projects/p/notes/ci-builds")),
                new Case("./portcullis attestors public-keys list --attestor projects/p/attestors/ci").exits(0)
                        .check(r -> assertThat(r.out()).contains(placeholders.get("ni:///sha-256;..."), "ECDSA_P256_SHA256")),
                new Case("./portcullis attest create --attestor projects/p/attestors/ci --artifact-url "
                        + "gcr.io/p/app@sha256:<digest> --payload payload.json --signature-file payload.sig "
                        + "--public-key-id 'ni:///sha-256;...'").exits(0)
                        .check(r -> assertThat(JSON.readTree(r.out()).path("attestor").asText()).isEqualTo(ATTESTOR)),
                new Case("./portcullis policy import policy.yaml").exits(0)
                        .check(r -> assertThat(r.out()).contains("policy replaced")),
                new Case("./portcullis policy export").exits(0)
                        .check(r -> assertThat(r.out()).contains("REQUIRE_ATTESTATION", ATTESTOR)),
                new Case("./portcullis policy evaluate --image gcr.io/p/app@sha256:<digest> --namespace web").exits(0)
                        .check(r -> assertThat(JSON.readTree(r.out()).path("allowed").asBoolean()).isTrue()),
                // No registry sends this serve notifications: the images are unknown, the bans work all the same
                // (LineageRegistryIT runs the same commands against the real registry).
                new Case("portcullis images sync --registry http://127.0.0.1:5000").exits(1)
                        .check(r -> assertThat(r.err()).contains("registry 127.0.0.1:5000 is not one of lineage.registries")),
                new Case("portcullis images affected --base 127.0.0.1:5000/base/busybox:1.0").exits(1)
                        .check(r -> assertThat(r.err()).contains("image 127.0.0.1:5000/base/busybox:1.0 is not known to lineage")),
                new Case("portcullis images tree 127.0.0.1:5000/team/c:1").exits(1)
                        .check(r -> assertThat(r.err()).contains("is not known to lineage")),
                new Case("portcullis images ban --image 127.0.0.1:5000/base/busybox:1.0 --reason \"openssl in the base\" "
                        + "--cve CVE-2026-12345").exits(1)
                        .check(r -> assertThat(r.err()).contains("is not known to lineage: ban it by digest, or push it first")),
                new Case("portcullis images ban --repository 127.0.0.1:5000/base/busybox --versions \">=1.0 <1.3\" --reason \"...\" "
                        + "--expires 2027-01-31T00:00:00Z").exits(0)
                        .check(r -> assertThat(JSON.readTree(r.out()).path("target").asText())
                                .isEqualTo("127.0.0.1:5000/base/busybox >=1.0 <1.3"))
                        .check(r -> placeholders.put("ban-3f9c2a17e0b4", JSON.readTree(r.out()).path("id").asText())),
                new Case("portcullis images bans").exits(0)
                        .check(r -> assertThat(JSON.readTree(r.out()).at("/bans/0/expires").asText()).isEqualTo("2027-01-31T00:00:00Z")),
                new Case("portcullis images unban ban-3f9c2a17e0b4").exits(0)
                        .check(r -> assertThat(r.out()).contains("lifted")),
                new Case("./portcullis admission explain -f shop.yaml --policy policy.yaml").exits(1)
                        .check(r -> assertThat(r.out()).contains("shop.yaml document 1 (line 1), apps/Deployment web/shop: denied",
                                "gcr.io/p/app:1.4 <- defaultAdmissionRule TAG_NOT_DIGEST", "to fix: deploy the image by digest")),
                new Case("./portcullis admission manifests --namespace portcullis --service portcullis --ca ca.crt > webhook.yaml")
                        .exits(0)
                        .check(r -> assertThat(KubernetesModel.readAll(Files.readString(dir.resolve("webhook.yaml")), "webhook.yaml"))
                                .singleElement().extracting(o -> o.getKind()).isEqualTo("ValidatingWebhookConfiguration")),
                new Case("./portcullis pki init --dir pki --trust-domain example.org").exits(0)
                        .check(r -> assertThat(Processes.ok(dir, "openssl", "x509", "-in", "pki/ca.pem", "-noout", "-text"))
                                .contains("CA:TRUE", "URI:spiffe://example.org")),
                new Case("./portcullis pki issue server --dir pki --dns localhost --ip 127.0.0.1 --out engine").exits(0)
                        .check(r -> assertThat(Processes.ok(dir, "openssl", "verify", "-CAfile", "pki/ca.pem", "-verify_ip",
                                "127.0.0.1", "engine.pem")).contains("engine.pem: OK")),
                new Case("./portcullis pki issue client --dir pki --name ci --spiffe-id spiffe://example.org/ci "
                        + "--docker-context ci-docker").exits(0)
                        .check(r -> assertThat(Processes.ok(dir, "openssl", "verify", "-crl_check", "-CAfile", "ci-docker/ca.pem",
                                "-CRLfile", "pki/crl.pem", "ci-docker/cert.pem")).contains("cert.pem: OK"))
                        .check(r -> assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(dir.resolve("ci-docker/key.pem")))).isEqualTo("rw-------")),
                new Case("./portcullis pki issue client --dir pki --name laptop --out laptop").exits(0)
                        .check(r -> assertThat(r.out()).contains("issued CN=laptop", "wrote laptop-key.pem")),
                new Case("./portcullis pki revoke --dir pki --identity laptop").exits(0)
                        .check(r -> assertThat(Processes.run(dir, "openssl", "verify", "-crl_check", "-CAfile", "pki/ca.pem",
                                "-CRLfile", "pki/crl.pem", "laptop.pem").output()).contains("certificate revoked")),
                new Case("./portcullis pki crl --dir pki").exits(0)
                        .check(r -> assertThat(Processes.ok(dir, "openssl", "crl", "-in", "pki/crl.pem", "-noout", "-text"))
                                .contains("Revoked Certificates:")),
                new Case("./portcullis engine-guard --listen 127.0.0.1:2376 --upstream unix:/run/podman/podman.sock "
                        + "--ca pki/ca.pem --cert engine.pem --key engine-key.pem --crl pki/crl.pem --rules examples/engine-rules.yaml")
                        .background("engine-guard listening")
                        .check(r -> assertThat(r.out()).contains("rules examples/engine-rules.yaml (2 identities)", "CRL with 1 revoked"))
                        .check(r -> assertThat(Processes.run(dir, "curl", "-s", "--cacert", "pki/ca.pem",
                                "https://127.0.0.1:" + guardPort + "/_ping").exitCode()).as("no client certificate").isNotZero())
                        // No engine at that socket here (EngineGuardIT puts Podman behind it): the guard's own 502 says so.
                        .check(r -> assertThat(Processes.ok(dir, "curl", "-s", "--cacert", "ci-docker/ca.pem", "--cert",
                                "ci-docker/cert.pem", "--key", "ci-docker/key.pem", "https://127.0.0.1:" + guardPort + "/_ping"))
                                .contains("{\"message\":\"portcullis: the engine cannot be reached")),
                new Case("./portcullis engine-guard suggest-rules --audit-dir data/engine-audit > suggested-rules.yaml").exits(0)
                        .check(r -> assertThat(dir.resolve("suggested-rules.yaml")).content()
                                .contains("\"spiffe://example.org/ci\":", "\"GET /_ping\"")),
                new Case("./portcullis completion bash > portcullis.bash").exits(0)
                        .check(r -> assertThat(dir.resolve("portcullis.bash")).content()
                                .contains("complete -F _complete_portcullis", "attestors")),
                new Case("./portcullis attestors delete projects/p/attestors/ci").exits(1)
                        .check(r -> assertThat(r.err()).contains("the policy in force requires attestor " + ATTESTOR)),
                new Case("./portcullis attestors public-keys remove 'ni:///sha-256;...' --attestor projects/p/attestors/ci")
                        .exits(0).check(r -> assertThat(r.out()).contains("revoked")));
    }

    @Test
    void documentation_everyCommandHasACaseAndEveryCaseACommand() throws IOException {
        Set<String> documented = DocCommands.ofProject(Launcher.projectRoot()).stream().map(DocCommands.Command::text)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> tested = cases().stream().map(c -> c.command).collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(documented).as("documented commands without a case in this test").isSubsetOf(tested);
        assertThat(tested).as("cases whose command the documents no longer show").isSubsetOf(documented);
    }

    @TestFactory
    Stream<DynamicTest> documentedCommand_runAsWritten_exitsAndPrintsAsDocumented() throws IOException {
        Map<String, Case> byCommand = new LinkedHashMap<>();
        cases().forEach(c -> byCommand.put(c.command, c));
        return DocCommands.ofProject(Launcher.projectRoot()).stream().map(doc -> DynamicTest.dynamicTest(doc.toString(), () -> {
            Case c = byCommand.get(doc.text());
            assertThat(c).as("no case for this documented command: add one to DocumentedCommandsIT.cases()").isNotNull();
            c.run();
        }));
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    /** One documented command line: its fixture, and what running it must show. */
    private static final class Case {
        final String command;
        private Step before = () -> {};
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<Check> checks = new ArrayList<>();
        private String stdin;
        private Integer exit;
        private boolean serves;
        private String readyText;

        Case(String command) {
            this.command = command;
        }

        Case before(Step step) {
            before = step;
            return this;
        }

        Case env(String name, String value) {
            env.put(name, value);
            return this;
        }

        Case stdin(String text) {
            stdin = text;
            return this;
        }

        Case exits(int code) {
            exit = code;
            return this;
        }

        /** A {@code serve}: started and left running (as in a terminal of its own) until the next one. */
        Case serve() {
            serves = true;
            return this;
        }

        /** A command that keeps running (as in a terminal of its own), ready once its output shows {@code text}. */
        Case background(String text) {
            readyText = text;
            return this;
        }

        Case check(Check check) {
            checks.add(check);
            return this;
        }

        void run() throws Exception {
            before.run();
            String line = command;
            for (Map.Entry<String, String> p : placeholders.entrySet()) {
                line = line.replace(p.getKey(), p.getValue());
            }
            Map<String, String> extra = new LinkedHashMap<>(env);
            extra.put("PORTCULLIS_SERVER", "http://127.0.0.1:" + port);
            Map<String, String> environment = Launcher.environment(dir, extra);
            Launcher.Result r;
            if (serves) {
                if (serve != null) {
                    serve.close();
                }
                serve = ServeProcess.start(dir, environment, line, port);
                r = new Launcher.Result(0, serve.stdout(), serve.stderr());
            } else if (readyText != null) {
                guard = Background.start(dir, environment, line, readyText);
                r = new Launcher.Result(0, guard.output(), "");
            } else {
                r = Launcher.shell(dir, environment, line, stdin);
                assertThat(r.exitCode()).as(r.describe()).isEqualTo(exit);
            }
            for (Check c : checks) {
                try {
                    c.verify(r);
                } catch (AssertionError | Exception e) {
                    throw new AssertionError(command + "\n" + r.describe() + "\n" + e.getMessage(), e);
                }
            }
        }
    }

    /** A fixture step before a command. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** An assertion on a command's result. */
    @FunctionalInterface
    private interface Check {
        void verify(Launcher.Result r) throws Exception;
    }
}
