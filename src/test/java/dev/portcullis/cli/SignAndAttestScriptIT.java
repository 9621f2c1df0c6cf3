package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testbed.AdminApi;
import dev.portcullis.testbed.Gpg;
import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.ServeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/ci/sign-and-attest.sh} end to end, as a pipeline runs it: against {@code serve} in its
 * own process, with a gpg key and with an openssl key, the image is attested and the policy then lets
 * it run; a key the attestor does not know fails the step.
 */
@RequiresTools({"bash", "openssl", "gpg"})
@Tag("e2e")
class SignAndAttestScriptIT {
    private static final String ATTESTOR = "projects/acme/attestors/built-by-ci";

    @TempDir
    static Path dir;

    @TempDir
    static Path gnupg;

    @AutoClose
    private static ServeProcess serve;
    @AutoClose
    private static Gpg gpg;
    private static AdminApi api;
    private static String adminToken;
    private static String pkixKeyId;

    @BeforeAll
    static void start() throws Exception {
        Launcher.install(dir);
        serve = ServeProcess.start(dir, Launcher.environment(dir, Map.of()), "./portcullis serve", Processes.freePort());
        adminToken = Files.readString(dir.resolve("data/admin.token")).strip();
        api = new AdminApi(serve.url(), adminToken);
        gpg = Gpg.withNewKey(gnupg, "ci@example.com");
        Files.writeString(dir.resolve("ci.sec.asc"), gpg.armoredSecretKey());
        Processes.ok(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ci-key.pem");
        Processes.ok(dir, "openssl", "ec", "-in", "ci-key.pem", "-pubout", "-out", "ci-key.pub");
        // What docs/ci/README.md has an administrator do once per attestor.
        api.post("/api/v1/attestors", Map.of("name", ATTESTOR));
        api.post("/api/v1/attestor-keys", Map.of("attestor", ATTESTOR, "pgpPublicKey", gpg.armoredPublicKey()));
        pkixKeyId = api.post("/api/v1/attestor-keys", Map.of("attestor", ATTESTOR,
                "pkixPublicKey", Files.readString(dir.resolve("ci-key.pub")), "signatureAlgorithm", "ECDSA_P256_SHA256"))
                .path("id").asText();
        api.send("PUT", "/api/v1/policy", """
                defaultAdmissionRule:
                  evaluationMode: REQUIRE_ATTESTATION
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  requireAttestationsBy: [%s]
                """.formatted(ATTESTOR));
    }

    @Test
    void script_gpgKey_attestsAndThePolicyAllows() {
        String image = "registry.example.com/team/app@sha256:" + "a1".repeat(32);
        assertThat(evaluate(image)).isFalse();
        Launcher.Result r = script(Map.of("IMAGE_DIGEST_URL", image, "SIGNING_KEY", dir.resolve("ci.sec.asc").toString()));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.out()).contains("\"allowed\":true");
        assertThat(evaluate(image)).isTrue();
    }

    @Test
    void script_opensslKeyRunAsJavaJar_attestsAndThePolicyAllows() {
        String image = "registry.example.com/team/app@sha256:" + "b2".repeat(32);
        // As the CircleCI example runs it: PORTCULLIS="java -jar portcullis.jar".
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Launcher.Result r = script(Map.of("IMAGE_DIGEST_URL", image, "SIGNING_KEY", dir.resolve("ci-key.pem").toString(),
                "SIGNING_ALGORITHM", "ECDSA_P256_SHA256", "PUBLIC_KEY_ID", pkixKeyId,
                "PORTCULLIS", java + " -jar " + Launcher.projectRoot().resolve("target/portcullis.jar")));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.out()).contains("\"allowed\":true");
        assertThat(evaluate(image)).isTrue();
    }

    @Test
    void script_keyIdTheAttestorDoesNotKnow_failsTheStepWithTheReason() {
        String image = "registry.example.com/team/app@sha256:" + "c3".repeat(32);
        Launcher.Result r = script(Map.of("IMAGE_DIGEST_URL", image, "SIGNING_KEY", dir.resolve("ci-key.pem").toString(),
                "SIGNING_ALGORITHM", "ECDSA_P256_SHA256", "PUBLIC_KEY_ID", "ni:///sha-256;unknown"));
        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.err()).contains("UNKNOWN_KEY");
        assertThat(evaluate(image)).isFalse();
    }

    private static Launcher.Result script(Map<String, String> vars) {
        Map<String, String> env = new LinkedHashMap<>(vars);
        env.put("ATTESTOR", ATTESTOR);
        env.put("PORTCULLIS_SERVER", serve.url());
        env.put("PORTCULLIS_ADMIN_TOKEN", adminToken);
        env.put("NAMESPACE", "web");
        return Launcher.exec(dir, Launcher.environment(dir, env),
                List.of(Launcher.projectRoot().resolve("docs/ci/sign-and-attest.sh").toString()), null);
    }

    private static boolean evaluate(String image) {
        return api.post("/api/v1/evaluate", Map.of("images", List.of(image), "namespace", "web")).path("allowed").asBoolean();
    }
}
