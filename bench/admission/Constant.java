import dev.portcullis.pki.ReloadingServerTls;
import dev.portcullis.pki.ServerKeyMaterial;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The transport's ceiling for bench/admission/run.sh: Helidon's WebServer with the webhook listener's
 * TLS (the same certificate, protocols and suites) answering every POST with the same bytes, as many
 * as the webhook's answer. Usage: java -cp target/portcullis.jar Constant.java PORT CERT KEY ANSWER_FILE
 */
public class Constant {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] answer = Files.readAllBytes(Path.of(args[3]));
        ReloadingServerTls tls = ReloadingServerTls.open(new ServerKeyMaterial.Files(Path.of(args[1]), Path.of(args[2]), Optional.empty()));
        List<String> supported = List.of(tls.context().getSupportedSSLParameters().getCipherSuites());
        Tls helidonTls = Tls.builder().sslContext(tls.context()).enabledProtocols(List.of("TLSv1.3", "TLSv1.2"))
                .enabledCipherSuites(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").stream()
                        .filter(supported::contains).toList())
                .build();
        WebServer.builder().host("127.0.0.1").port(port).tls(helidonTls)
                .routing(r -> r.post("/admission/validate", (req, res) -> {
                    req.content().consume();
                    res.header("Content-Type", "application/json").send(answer);
                }))
                .build().start();
        System.out.println("constant answer on https://127.0.0.1:" + port + "/admission/validate (" + answer.length + " bytes)");
        Thread.currentThread().join();
    }
}
