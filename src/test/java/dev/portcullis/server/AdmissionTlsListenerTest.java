package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.testbed.AdmissionReviews;
import dev.portcullis.testbed.AuditLines;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admission webhook on its own TLS listener, with certificates made by openssl: TLS 1.2 and 1.3
 * only (checked with openssl from outside), client certificates when a CA is set, and the certificate
 * files read again as cert-manager and a Kubernetes secret mount rewrite them.
 */
@RequiresTools({"openssl", "bash"})
class AdmissionTlsListenerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "gcr.io/p/app@sha256:" + "aa".repeat(32);

    @TempDir
    static Path pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() {
        TestCertificates.ca(pki, "ca");
        TestCertificates.leaf(pki, "ca", "first", "1001", false);
        TestCertificates.leaf(pki, "ca", "second", "1002", false);
        TestCertificates.leaf(pki, "ca", "third", "1003", false);
        TestCertificates.ca(pki, "clients");
        TestCertificates.leaf(pki, "clients", "apiserver", "2001", true);
        TestCertificates.ca(pki, "other");
        TestCertificates.leaf(pki, "other", "stranger", "3001", true);
    }

    private Application start(Path cert, Path key, String extra) {
        return start(cert, key, extra, "");
    }

    private Application start(Path cert, Path key, String extra, String server) {
        String yaml = """
                server: {addr: "127.0.0.1:0"%s}
                data_dir: "%s"
                admission:
                  enabled: true
                  addr: "127.0.0.1:0"
                  certificate: "%s"
                  key: "%s"
                  reload_interval: 100ms
                %s""".formatted(server, dir.resolve("data"), cert, key, extra);
        return Application.start(ConfigDocument.parse(yaml, "admission.yml", Map.of()), Clock.systemUTC());
    }

    private static HttpResponse<String> validate(HttpClient client, String url) throws Exception {
        String review = AdmissionReviews.review("admission.k8s.io/v1", AdmissionReviews.KINDS.get(0), "uid-1",
                AdmissionReviews.object(AdmissionReviews.KINDS.get(0), APP, APP, APP), false);
        return client.send(HttpRequest.newBuilder(URI.create(url + AdmissionRoutes.VALIDATE))
                .POST(HttpRequest.BodyPublishers.ofString(review)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void validate_onItsOwnTlsListener_answersTheReviewAndTheMainListenerSends404() throws Exception {
        try (Application app = start(pki.resolve("first.crt"), pki.resolve("first.key"), "")) {
            int port = app.admissionPort().orElseThrow();
            HttpResponse<String> r = validate(TestCertificates.https(pki.resolve("ca.crt"), Optional.empty()),
                    "https://127.0.0.1:" + port);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode review = JSON.readTree(r.body());
            assertThat(review.path("response").path("uid").asText()).isEqualTo("uid-1");
            assertThat(review.path("response").has("allowed")).isTrue();
            HttpResponse<String> main = validate(HttpClient.newHttpClient(), "http://127.0.0.1:" + app.port());
            assertThat(main.statusCode()).isEqualTo(404);
            assertThat(main.body()).contains("admission.addr");
            assertThat(app.capacity()).contains("admission webhook on https://127.0.0.1:" + port).contains("serial 1001");
        }
    }

    @Test
    void handshake_tls11Refused_tls12And13Accepted_checkedWithOpenssl() throws Exception {
        try (Application app = start(pki.resolve("first.crt"), pki.resolve("first.key"), "")) {
            int port = app.admissionPort().orElseThrow();
            Processes.Result old = TestCertificates.sClient(pki, port, "-tls1_1");
            assertThat(old.exitCode()).as(old.output()).isNotZero();
            // The server's alert, not OpenSSL refusing on its own side.
            assertThat(old.output()).contains("alert protocol version").doesNotContain("CONNECTION ESTABLISHED");
            for (String[] v : new String[][] {{"-tls1_2", "TLSv1.2"}, {"-tls1_3", "TLSv1.3"}}) {
                Processes.Result ok = TestCertificates.sClient(pki, port, v[0]);
                assertThat(ok.output()).as(v[0]).contains("CONNECTION ESTABLISHED").contains("Protocol version: " + v[1]);
            }
        }
    }

    @Test
    void handshake_tlsMinVersionTls13_tls12RefusedByTheServer() throws Exception {
        try (Application app = start(pki.resolve("first.crt"), pki.resolve("first.key"), "  tls_min_version: TLS13\n")) {
            int port = app.admissionPort().orElseThrow();
            assertThat(TestCertificates.sClient(pki, port, "-tls1_2").output()).contains("alert protocol version")
                    .doesNotContain("CONNECTION ESTABLISHED");
            assertThat(TestCertificates.sClient(pki, port, "-tls1_3").output()).contains("Protocol version: TLSv1.3");
        }
    }

    @Test
    void connection_silentAfterTheHandshake_isClosedAtTheMainListenersHeaderTimeout() throws Exception {
        try (Application app = start(pki.resolve("first.crt"), pki.resolve("first.key"), "", ", header_timeout: 1s");
             javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) TestCertificates.context(pki.resolve("ca.crt"), Optional.empty())
                     .getSocketFactory().createSocket("127.0.0.1", app.admissionPort().orElseThrow())) {
            s.setSoTimeout(15_000);
            s.startHandshake();
            long started = System.nanoTime();
            int read;
            try {
                read = s.getInputStream().read();
            } catch (java.io.IOException closed) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void reload_secretMountSwapsItsDataLink_newConnectionsGetTheNewCertificate() throws Exception {
        // As the kubelet lays out a secret volume: files behind ..data, a link swapped by a rename.
        Path mount = Files.createDirectories(dir.resolve("mount"));
        secretVersion(mount, "..v1", "first");
        Files.createSymbolicLink(mount.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(mount.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(mount.resolve("tls.key"), Path.of("..data/tls.key"));
        try (Application app = start(mount.resolve("tls.crt"), mount.resolve("tls.key"), "")) {
            int port = app.admissionPort().orElseThrow();
            assertThat(TestCertificates.servedSerial(pki.resolve("ca.crt"), port)).isEqualTo("1001");
            secretVersion(mount, "..v2", "second");
            Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of("..v2"));
            Files.move(mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            assertThat(servedWithin(port, "1002", 5_000)).isEqualTo("1002");
            assertThat(validate(TestCertificates.https(pki.resolve("ca.crt"), Optional.empty()), "https://127.0.0.1:" + port)
                    .statusCode()).isEqualTo(200);
            assertThat(tlsAudit()).anySatisfy(e -> assertThat(e.decision() + " " + e.detail()).contains("allow").contains("1002"));
        }
    }

    @Test
    void reload_certificateRewrittenBeforeItsKey_keepsTheOldPairAndAuditsWhyThenTakesTheNewOne() throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.copy(pki.resolve("first.crt"), cert);
        Files.copy(pki.resolve("first.key"), key);
        try (Application app = start(cert, key, "")) {
            int port = app.admissionPort().orElseThrow();
            Files.copy(pki.resolve("third.crt"), cert, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.currentTimeMillis() + 5_000;
            while (tlsAudit().stream().noneMatch(e -> e.decision().equals("deny")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(tlsAudit()).anySatisfy(e -> assertThat(e.detail()).contains("kept serial 1001")
                    .contains("is not the key of the certificate"));
            assertThat(TestCertificates.servedSerial(pki.resolve("ca.crt"), port)).isEqualTo("1001");
            Files.copy(pki.resolve("third.key"), key, StandardCopyOption.REPLACE_EXISTING);
            assertThat(servedWithin(port, "1003", 5_000)).isEqualTo("1003");
        }
    }

    @Test
    void handshake_clientCaSet_onlyAClientCertificateOfThatCaGetsIn() throws Exception {
        try (Application app = start(pki.resolve("first.crt"), pki.resolve("first.key"),
                "  client_ca: \"" + pki.resolve("clients.crt") + "\"\n")) {
            String url = "https://127.0.0.1:" + app.admissionPort().orElseThrow();
            Path ca = pki.resolve("ca.crt");
            assertThatThrownBy(() -> validate(TestCertificates.https(ca, Optional.empty()), url)).isInstanceOf(java.io.IOException.class);
            assertThatThrownBy(() -> validate(TestCertificates.https(ca, Optional.of(new Path[] {pki.resolve("stranger.crt"),
                    pki.resolve("stranger.key")})), url)).isInstanceOf(java.io.IOException.class);
            HttpResponse<String> ok = validate(TestCertificates.https(ca, Optional.of(new Path[] {pki.resolve("apiserver.crt"),
                    pki.resolve("apiserver.key")})), url);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(app.capacity()).contains("client certificates required");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "key of another pair       | first.crt  | second.key | admission.key       | is not the key of the certificate",
            "a key as the certificate  | second.key | first.key  | admission.certificate | holds no PEM certificate",
            "a certificate as the key  | first.crt  | first.crt  | admission.key       | holds no PEM private key"})
    void start_certificateFilesThatCannotBeServed_nameTheKeyAndLine(String name, String cert, String key, String setting,
                                                                    String problem) {
        assertThatThrownBy(() -> start(pki.resolve(cert), pki.resolve(key), "").close())
                .hasMessageContaining("admission.yml line").hasMessageContaining(setting).hasMessageContaining(problem);
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void start_admissionAddrInUse_namesAdmissionAddr() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Application.start(ConfigDocument.parse("""
                    server: {addr: "127.0.0.1:0"}
                    data_dir: "%s"
                    admission: {enabled: true, addr: "127.0.0.1:%d", certificate: "%s", key: "%s"}
                    """.formatted(dir.resolve("data"), taken.getLocalPort(), pki.resolve("first.crt"), pki.resolve("first.key")),
                    "admission.yml", Map.of()), Clock.systemUTC()).close())
                    .hasMessageContaining("admission.yml line 3: admission.addr cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    private void secretVersion(Path mount, String version, String pair) throws Exception {
        Path v = Files.createDirectories(mount.resolve(version));
        Files.copy(pki.resolve(pair + ".crt"), v.resolve("tls.crt"));
        Files.copy(pki.resolve(pair + ".key"), v.resolve("tls.key"));
    }

    private String servedWithin(int port, String serial, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        String served = TestCertificates.servedSerial(pki.resolve("ca.crt"), port);
        while (!served.equals(serial) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            served = TestCertificates.servedSerial(pki.resolve("ca.crt"), port);
        }
        return served;
    }

    private List<AuditEvent> tlsAudit() {
        return AuditLines.read(dir.resolve("data")).stream().filter(e -> e.action().equals("tls_reload")).toList();
    }
}
