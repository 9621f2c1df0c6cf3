package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.testbed.Processes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The signing pipeline's steps on the command line: payload, openssl signature, offline verify. */
class AttestCommandTest {
    private static final String ARTIFACT = "registry.local/team/app@sha256:" + "cd".repeat(32);

    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void createPayloadSignVerify_opensslEcdsa_exitZeroThenOneForOtherArtifact() throws Exception {
        assumeTrue(Processes.onPath("openssl"), "openssl is installed by .ci/run");
        String[] payload = run("attest", "create-signature-payload", "--artifact-url", ARTIFACT);
        assertThat(payload[0]).isEqualTo("0");
        Files.writeString(dir.resolve("payload.json"), payload[1]);
        Processes.ok(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "k.pem");
        Processes.ok(dir, "openssl", "ec", "-in", "k.pem", "-pubout", "-out", "k.pub");
        Processes.ok(dir, "openssl", "dgst", "-sha256", "-sign", "k.pem", "-out", "sig", "payload.json");
        String[] ok = run("attest", "verify", "--artifact-url", ARTIFACT, "--payload", dir.resolve("payload.json").toString(),
                "--signature", dir.resolve("sig").toString(), "--pkix-public-key", dir.resolve("k.pub").toString(),
                "--signature-algorithm", "ECDSA_P256_SHA256");
        assertThat(ok[0]).as(ok[1] + ok[2]).isEqualTo("0");
        String other = "registry.local/team/app@sha256:" + "ef".repeat(32);
        String[] mismatch = run("attest", "verify", "--artifact-url", other, "--payload", dir.resolve("payload.json").toString(),
                "--signature", dir.resolve("sig").toString(), "--pkix-public-key", dir.resolve("k.pub").toString(),
                "--signature-algorithm", "ECDSA_P256_SHA256");
        assertThat(mismatch[0]).isEqualTo("1");
        assertThat(mismatch[1]).startsWith("DIGEST_MISMATCH");
    }

    @Test
    void createPayload_tagInsteadOfDigest_exitTwoWithReason() {
        String[] r = run("attest", "create-signature-payload", "--artifact-url", "registry.local/team/app:1");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).startsWith("TAG_NOT_DIGEST");
    }

    @Test
    void verify_unknownAlgorithm_exitOneMalformedKey() throws Exception {
        Files.writeString(dir.resolve("p"), "{}");
        Files.writeString(dir.resolve("s"), "x");
        Files.writeString(dir.resolve("k"), "x");
        String[] r = run("attest", "verify", "--artifact-url", ARTIFACT, "--payload", dir.resolve("p").toString(), "--signature",
                dir.resolve("s").toString(), "--pkix-public-key", dir.resolve("k").toString(), "--signature-algorithm", "MD5");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).startsWith("MALFORMED_KEY");
    }
}
