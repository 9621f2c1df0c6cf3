package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testbed.AdmissionReviews;
import dev.portcullis.testbed.AuditLines;
import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.ServeProcess;
import dev.portcullis.testbed.TestCertificates;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./portcullis serve} in a process of its own with the admission webhook on its own TLS port, as
 * a Deployment runs it: an AdmissionReview over HTTPS with the CA trusted, TLS 1.1 refused (openssl
 * from outside), and the certificate files replaced as cert-manager renews them, without a restart.
 */
@RequiresTools({"bash", "openssl"})
class AdmissionTlsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "gcr.io/p/app@sha256:" + "aa".repeat(32);

    @TempDir
    Path home;

    @Test
    void serve_admissionOnItsTlsPort_answersRefusesTls11AndServesARenewedCertificateWithoutARestart() throws Exception {
        Launcher.install(home);
        TestCertificates.ca(home, "ca");
        TestCertificates.leaf(home, "ca", "first", "1001", false);
        TestCertificates.leaf(home, "ca", "renewed", "1002", false);
        Path tls = Files.createDirectories(home.resolve("tls"));
        Files.copy(home.resolve("first.crt"), tls.resolve("tls.crt"));
        Files.copy(home.resolve("first.key"), tls.resolve("tls.key"));
        int port = Processes.freePort();
        Files.writeString(home.resolve("portcullis.yml"), """
                admission:
                  enabled: true
                  addr: "127.0.0.1:%d"
                  certificate: tls/tls.crt
                  key: tls/tls.key
                """.formatted(port));
        try (ServeProcess serve = ServeProcess.start(home, Launcher.environment(home, Map.of()),
                "./portcullis serve --config portcullis.yml", Processes.freePort())) {
            assertThat(serve.stdout()).contains("admission webhook on https://127.0.0.1:" + port + "/admission/validate");
            String review = AdmissionReviews.review("admission.k8s.io/v1", AdmissionReviews.KINDS.get(2), "uid-it",
                    AdmissionReviews.object(AdmissionReviews.KINDS.get(2), APP, APP, APP), false);
            HttpResponse<String> r = TestCertificates.https(home.resolve("ca.crt"), Optional.empty()).send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/admission/validate"))
                            .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("response").path("uid").asText()).isEqualTo("uid-it");

            // What a developer runs before kubectl apply, against the webhook's own listener and its private CA.
            Files.writeString(home.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: shop, namespace: web}\n"
                    + "spec: {containers: [{name: app, image: \"" + APP + "\"}]}\n");
            String url = "https://127.0.0.1:" + port;
            Launcher.Result trusted = Launcher.run(home, Map.of(), "admission", "explain", "-f", "pod.yaml", "--server", url,
                    "--cacert", "ca.crt");
            assertThat(trusted.exitCode()).as(trusted.describe()).isEqualTo(1); // the default policy denies everything
            assertThat(trusted.out()).contains("Pod web/shop: denied");
            Launcher.Result untrusted = Launcher.run(home, Map.of(), "admission", "explain", "-f", "pod.yaml", "--server", url);
            assertThat(untrusted.exitCode()).as(untrusted.describe()).isEqualTo(2);
            assertThat(untrusted.err()).contains("cannot reach " + url);

            Processes.Result old = TestCertificates.sClient(home, port, "-tls1_1");
            assertThat(old.exitCode()).as(old.output()).isNotZero();
            // The server's alert, not OpenSSL refusing on its own side.
            assertThat(old.output()).contains("alert protocol version").doesNotContain("CONNECTION ESTABLISHED");
            assertThat(TestCertificates.sClient(home, port, "-tls1_2").output()).contains("Protocol version: TLSv1.2");
            assertThat(TestCertificates.sClient(home, port, "-tls1_3").output()).contains("Protocol version: TLSv1.3");

            // Renewed as cert-manager's controller writes: each file replaced whole, the key after the certificate.
            assertThat(TestCertificates.servedSerial(home.resolve("ca.crt"), port)).isEqualTo("1001");
            for (String f : new String[] {"crt", "key"}) {
                Files.copy(home.resolve("renewed." + f), tls.resolve("tls." + f + ".tmp"));
                Files.move(tls.resolve("tls." + f + ".tmp"), tls.resolve("tls." + f), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            long deadline = System.currentTimeMillis() + 10_000;
            String served = TestCertificates.servedSerial(home.resolve("ca.crt"), port);
            while (!served.equals("1002") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                served = TestCertificates.servedSerial(home.resolve("ca.crt"), port);
            }
            assertThat(served).as(serve.stdout() + serve.stderr()).isEqualTo("1002");
            assertThat(AuditLines.read(home.resolve("data"))).anySatisfy(e -> assertThat(e.action() + " " + e.decision() + " "
                    + e.detail()).startsWith("tls_reload allow").contains("1002"));
        }
    }
}
