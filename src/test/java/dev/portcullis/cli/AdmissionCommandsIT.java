package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.policy.PolicyStore;
import dev.portcullis.testbed.AdmissionReviews;
import dev.portcullis.testbed.KubernetesModel;
import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.ServeProcess;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admission manifests} and {@code admission explain} through {@code ./portcullis}: the printed
 * configuration is one the typed model reads, and a manifest's verdict is the same offline and from
 * a running {@code serve}'s webhook, with the exit codes a CI step reads.
 */
@RequiresTools({"bash", "openssl"})
class AdmissionCommandsIT {
    private static final String DIGEST = "gcr.io/p/app@sha256:" + "ab".repeat(32);
    private static final String MANIFEST = """
            apiVersion: v1
            kind: Service
            metadata: {name: shop}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: shop, namespace: web}
            spec:
              template:
                spec:
                  serviceAccountName: deployer
                  initContainers: [{name: setup, image: "gcr.io/p/setup:1.2"}]
                  containers: [{name: app, image: "%s"}]
            """.formatted(DIGEST);

    @TempDir
    static Path dir;

    @AutoClose
    private static ServeProcess serve;

    @BeforeAll
    static void fixtures() throws Exception {
        Launcher.install(dir);
        AdmissionReviews.opensslCa(dir);
        Files.writeString(dir.resolve("shop.yaml"), MANIFEST);
        Files.writeString(dir.resolve("default-policy.yaml"), PolicyStore.DEFAULT_YAML);
        Files.writeString(dir.resolve("allow-policy.yaml"), "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, "
                + "enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n");
        Files.writeString(dir.resolve("attest-policy.yaml"), "defaultAdmissionRule: {evaluationMode: REQUIRE_ATTESTATION, "
                + "enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG, requireAttestationsBy: [projects/p/attestors/ci]}\n");
    }

    @Test
    void manifests_asProcess_printsAConfigurationTheTypedModelReads() throws Exception {
        Launcher.Result r = Launcher.run(dir, Map.of(), "admission", "manifests", "--namespace", "portcullis", "--service", "portcullis",
                "--ca", "ca.crt", "--timeout-seconds", "7");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        ValidatingWebhookConfiguration c = (ValidatingWebhookConfiguration) KubernetesModel.readAll(r.out(), "stdout").get(0);
        assertThat(c.getWebhooks().get(0).getTimeoutSeconds()).isEqualTo(7);
        assertThat(new String(Base64.getDecoder().decode(c.getWebhooks().get(0).getClientConfig().getCaBundle()), StandardCharsets.US_ASCII))
                .isEqualTo(Files.readString(dir.resolve("ca.crt")));
    }

    @Test
    void manifests_badCaOrTimeout_exit2NamingTheOption() {
        Launcher.Result key = Launcher.run(dir, Map.of(), "admission", "manifests", "--namespace", "p", "--service", "p", "--ca", "ca.key");
        assertThat(key.exitCode()).isEqualTo(2);
        assertThat(key.out()).isEmpty();
        assertThat(key.err()).as(key.describe()).contains("--ca ca.key: holds a private key");
        Launcher.Result timeout = Launcher.run(dir, Map.of(), "admission", "manifests", "--namespace", "p", "--service", "p",
                "--ca", "ca.crt", "--timeout-seconds", "31");
        assertThat(timeout.exitCode()).isEqualTo(2);
        assertThat(timeout.err()).as(timeout.describe()).contains("--timeout-seconds must be between 1 and 30");
    }

    @Test
    void explainOffline_deniedAllowedAndBadInput_exit1Exit0Exit2() {
        Launcher.Result denied = Launcher.run(dir, Map.of(), "admission", "explain", "-f", "shop.yaml", "--policy", "default-policy.yaml");
        assertThat(denied.exitCode()).as(denied.describe()).isEqualTo(1);
        assertThat(denied.out()).contains("shop.yaml document 1 (line 1), Service default/shop: not judged",
                "shop.yaml document 2 (line 5), apps/Deployment web/shop: denied",
                "  " + DIGEST + " <- defaultAdmissionRule ALWAYS_DENY",
                "denied: Image " + DIGEST + " denied by Binary Authorization defaultAdmissionRule");
        Launcher.Result allowed = Launcher.shell(dir, Launcher.environment(dir, Map.of()),
                "./portcullis admission explain -f - --policy allow-policy.yaml", MANIFEST);
        assertThat(allowed.exitCode()).as(allowed.describe()).isZero();
        assertThat(allowed.out()).contains("(stdin) document 2 (line 5), apps/Deployment web/shop: allowed");
        Launcher.Result attest = Launcher.run(dir, Map.of(), "admission", "explain", "-f", "shop.yaml", "--policy", "attest-policy.yaml");
        assertThat(attest.exitCode()).as(attest.describe()).isEqualTo(1);
        assertThat(attest.out()).contains("NO_ATTESTATION", "TAG_NOT_DIGEST", "note: offline, no attestation is known");
        Launcher.Result bad = Launcher.shell(dir, Launcher.environment(dir, Map.of()),
                "./portcullis admission explain -f - --policy allow-policy.yaml",
                MANIFEST.replace("image: \"gcr.io/p/setup:1.2\"", "image: [a, b]"));
        assertThat(bad.exitCode()).as(bad.describe()).isEqualTo(2);
        assertThat(bad.err()).contains("(stdin) document 2 (line 5), apps/Deployment web/shop: field spec.template.spec.initContainers[0].image");
    }

    @Test
    void explainAgainstServe_sameWordsAsOffline() throws Exception {
        serve = ServeProcess.start(dir, Launcher.environment(dir, Map.of("PORTCULLIS_ADMISSION_ENABLED", "true")), "./portcullis serve",
                Processes.freePort());
        Launcher.Result online = Launcher.run(dir, Map.of(), "admission", "explain", "-f", "shop.yaml", "--server", serve.url());
        Launcher.Result offline = Launcher.run(dir, Map.of(), "admission", "explain", "-f", "shop.yaml", "--policy", "default-policy.yaml");
        assertThat(online.exitCode()).as(online.describe()).isEqualTo(1);
        assertThat(online.out()).isEqualTo(offline.out()).contains("apps/Deployment web/shop: denied");
        Launcher.Result bad = Launcher.shell(dir, Launcher.environment(dir, Map.of()), "./portcullis admission explain -f - --server "
                + serve.url(), MANIFEST.replace(", image: \"gcr.io/p/setup:1.2\"", ""));
        assertThat(bad.exitCode()).as(bad.describe()).isEqualTo(2);
        assertThat(bad.err()).contains("apps/Deployment web/shop: initContainers[0] names no image");
    }

    @Test
    void explain_serverNotListeningOrNeitherMode_exit2SayingWhy() {
        String server = "http://127.0.0.1:" + Processes.freePort();
        Launcher.Result down = Launcher.run(dir, Map.of(), "admission", "explain", "-f", "shop.yaml", "--server", server);
        assertThat(down.exitCode()).isEqualTo(2);
        assertThat(down.err()).as(down.describe()).contains("portcullis admission explain: cannot reach " + server + ": connection refused");
        Launcher.Result neither = Launcher.run(dir, Map.of(), "admission", "explain", "-f", "shop.yaml");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("give --policy FILE (offline) or --server URL");
        List<String> missing = List.of("admission", "explain", "-f", "nope.yaml", "--policy", "allow-policy.yaml");
        Launcher.Result noFile = Launcher.run(dir, Map.of(), missing.toArray(String[]::new));
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("nope.yaml: no such file");
    }
}
