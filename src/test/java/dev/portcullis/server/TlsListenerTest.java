package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.pki.Pem;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener with a certificate made by openssl: TLS works, versions below the configured minimum do not. */
@RequiresTools({"openssl"})
class TlsListenerTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCertificate() {
        Processes.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server.key", "-out", "server.crt", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    }

    private static Application start(String minVersion, String name) {
        String yaml = """
                server: {addr: "127.0.0.1:0", certificate: "%s", key: "%s", tls_min_version: %s}
                data_dir: "%s"
                """.formatted(dir.resolve("server.crt"), dir.resolve("server.key"), minVersion, dir.resolve(name));
        return Application.start(ConfigDocument.parse(yaml, "tls.yml", Map.of()), Clock.systemUTC());
    }

    private static HttpClient client(String protocol) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", Pem.readCertificates(dir.resolve("server.crt")).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLParameters params = new SSLParameters();
        params.setProtocols(new String[] {protocol});
        return HttpClient.newBuilder().sslContext(ctx).sslParameters(params).build();
    }

    @Test
    void healthz_overTls12_answers() throws Exception {
        try (Application app = start("TLS12", "a")) {
            HttpResponse<String> r = client("TLSv1.2").send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + app.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void healthz_tls12ClientWhenMinimumIsTls13_handshakeFails() throws Exception {
        try (Application app = start("TLS13", "b")) {
            HttpClient tls12 = client("TLSv1.2");
            assertThatThrownBy(() -> tls12.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + app.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
            HttpResponse<String> ok = client("TLSv1.3").send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + app.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void start_tlsMinVersionTls10_isRefusedAtStart() {
        assertThatThrownBy(() -> start("TLS10", "c")).hasMessageContaining("tls_min_version").hasMessageContaining("tls.yml line 1");
    }
}
