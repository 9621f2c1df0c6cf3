package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.server.Application;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A signing pipeline's CI steps with the real command line against a running server: payload, sign
 * (gpg's exported secret key; openssl's EC key), gpg --verify accepts our signature, create the
 * attestation, import the policy, evaluate.
 */
@RequiresTools({"gpg", "openssl"})
class SigningPipelineTest {
    private static final String ATTESTOR = "projects/p/attestors/ci";
    private static final String ARTIFACT = "registry.local/team/app@sha256:" + "9f".repeat(32);

    @TempDir
    static Path dir;

    private static Application app;
    private static String server;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        app = Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir.resolve("data") + "\"\n",
                "a.yml", Map.of()), Clock.systemUTC());
        server = "http://127.0.0.1:" + app.port();
        token = app.adminTokenFile().orElseThrow().toString();
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        gpg("--batch", "--passphrase", "", "--quick-gen-key", "CI <ci@example.com>", "default", "default", "never");
        Files.writeString(dir.resolve("ci.pub.asc"), gpg("--armor", "--export", "ci@example.com"));
        Files.writeString(dir.resolve("ci.sec.asc"), gpg("--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                "--armor", "--export-secret-keys", "ci@example.com"));
        api("/api/v1/attestors", "{\"name\": \"" + ATTESTOR + "\"}");
        api("/api/v1/attestor-keys", new ObjectMapper().writeValueAsString(Map.of("attestor", ATTESTOR,
                "pgpPublicKey", Files.readString(dir.resolve("ci.pub.asc")))));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static String gpg(String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "gpg";
        cmd[1] = "--homedir";
        cmd[2] = dir.resolve("gnupg").toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        return Processes.ok(dir, cmd);
    }

    private static void api(String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + Files.readString(Path.of(token)).strip())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private record Run(int exit, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void pipeline_pgpAttached_signCreateImportEvaluate() throws Exception {
        Run payload = cli("attest", "create-signature-payload", "--artifact-url", ARTIFACT);
        Files.writeString(dir.resolve("payload.json"), payload.out());
        Run sign = cli("attest", "sign", "--payload", dir.resolve("payload.json").toString(), "--pgp-secret-key",
                dir.resolve("ci.sec.asc").toString(), "--pgp-attached", "--output", dir.resolve("signed.asc").toString());
        assertThat(sign.exit()).as(sign.err()).isZero();
        Processes.Result verify = Processes.run(dir, "gpg", "--homedir", dir.resolve("gnupg").toString(), "--verify",
                dir.resolve("signed.asc").toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("Good signature");

        Run create = cli("attest", "create", "--server", server, "--token-file", token, "--attestor", ATTESTOR,
                "--artifact-url", ARTIFACT, "--signature-file", dir.resolve("signed.asc").toString(), "--pgp-signed");
        assertThat(create.exit()).as(create.err()).isZero();

        Files.writeString(dir.resolve("policy.yaml"), """
                defaultAdmissionRule:
                  evaluationMode: REQUIRE_ATTESTATION
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  requireAttestationsBy: [%s]
                """.formatted(ATTESTOR));
        assertThat(cli("policy", "import", "--server", server, "--token-file", token, dir.resolve("policy.yaml").toString()).exit())
                .isZero();
        assertThat(cli("policy", "export", "--server", server, "--token-file", token).out()).contains(ATTESTOR);
        Run allowed = cli("policy", "evaluate", "--server", server, "--token-file", token, "--image", ARTIFACT);
        assertThat(allowed.exit()).as(allowed.out() + allowed.err()).isZero();
        Run denied = cli("policy", "evaluate", "--server", server, "--token-file", token, "--image",
                "registry.local/team/app@sha256:" + "11".repeat(32));
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.out()).contains("NO_ATTESTATION");
    }

    @Test
    void sign_pgpDetached_verifiesWithGpgAndOurVerifier() throws Exception {
        Files.writeString(dir.resolve("p2.json"), cli("attest", "create-signature-payload", "--artifact-url", ARTIFACT).out());
        assertThat(cli("attest", "sign", "--payload", dir.resolve("p2.json").toString(), "--pgp-secret-key",
                dir.resolve("ci.sec.asc").toString(), "--output", dir.resolve("p2.sig").toString()).exit()).isZero();
        Processes.Result verify = Processes.run(dir, "gpg", "--homedir", dir.resolve("gnupg").toString(), "--verify",
                dir.resolve("p2.sig").toString(), dir.resolve("p2.json").toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(cli("attest", "verify", "--artifact-url", ARTIFACT, "--payload", dir.resolve("p2.json").toString(),
                "--signature", dir.resolve("p2.sig").toString(), "--pgp-public-key", dir.resolve("ci.pub.asc").toString()).exit())
                .isZero();
    }

    @Test
    void sign_pkixOpensslKey_verifiesWithOpenssl() throws Exception {
        Processes.ok(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.pem");
        Processes.ok(dir, "openssl", "ec", "-in", "ec.pem", "-pubout", "-out", "ec.pub");
        Files.writeString(dir.resolve("p3.json"), cli("attest", "create-signature-payload", "--artifact-url", ARTIFACT).out());
        assertThat(cli("attest", "sign", "--payload", dir.resolve("p3.json").toString(), "--pkix-private-key",
                dir.resolve("ec.pem").toString(), "--signature-algorithm", "ECDSA_P256_SHA256", "--output",
                dir.resolve("p3.sig").toString()).exit()).isZero();
        String ok = Processes.ok(dir, "openssl", "dgst", "-sha256", "-verify", "ec.pub", "-signature", "p3.sig", "p3.json");
        assertThat(ok).contains("Verified OK");
    }

    @Test
    void create_withoutServer_exitTwoWithReason() {
        Run r = cli("attest", "create", "--server", "http://127.0.0.1:1", "--token-file", token, "--attestor", ATTESTOR,
                "--artifact-url", ARTIFACT, "--signature-file", token, "--pgp-signed");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("portcullis attest create");
    }
}
