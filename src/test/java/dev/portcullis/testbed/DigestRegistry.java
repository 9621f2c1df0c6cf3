package dev.portcullis.testbed;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.portcullis.image.Digest;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A registry over HTTPS that answers {@code HEAD /v2/NAME/manifests/TAG} with a digest made from the name
 * and tag: enough for {@code lint --pin-digest}. Its certificate (made by keytool, for 127.0.0.1) is
 * trusted by a JVM started with {@link #javaOptions()}.
 */
public final class DigestRegistry implements AutoCloseable {
    private static final String PASSWORD = "changeit";
    private final HttpsServer server;
    private final Path trustStore;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private DigestRegistry(HttpsServer server, Path trustStore) {
        this.server = server;
        this.trustStore = trustStore;
    }

    public static DigestRegistry start(Path dir) throws IOException, GeneralSecurityException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Processes.ok(dir, keytool, "-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", "registry.p12", "-storepass", PASSWORD);
        Processes.ok(dir, keytool, "-exportcert", "-alias", "registry", "-keystore", "registry.p12", "-storepass", PASSWORD,
                "-file", "registry.crt");
        Processes.ok(dir, keytool, "-importcert", "-noprompt", "-alias", "registry", "-file", "registry.crt",
                "-storetype", "PKCS12", "-keystore", "trust.p12", "-storepass", PASSWORD);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(dir.resolve("registry.p12").toFile())) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        DigestRegistry r = new DigestRegistry(server, dir.resolve("trust.p12"));
        server.createContext("/v2/", ex -> {
            String path = ex.getRequestURI().getPath();
            r.requests.add(ex.getRequestMethod() + " " + path);
            int at = path.lastIndexOf("/manifests/");
            if (at < 0) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.getResponseHeaders().add("Docker-Content-Digest",
                        digestOf(path.substring(4, at), path.substring(at + 11)).toString());
                ex.sendResponseHeaders(200, -1);
            }
            ex.close();
        });
        server.start();
        return r;
    }

    /** The digest served for a repository's tag. */
    public static Digest digestOf(String repository, String tag) {
        return Digest.sha256((repository + ":" + tag).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code 127.0.0.1:PORT}, as an image name's registry part. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** JVM options that make its certificate trusted (for PORTCULLIS_JAVA_OPTS). */
    public String javaOptions() {
        return "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=" + PASSWORD
                + " -Djavax.net.ssl.trustStoreType=PKCS12";
    }

    /** "HEAD /v2/..." for each request so far. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
