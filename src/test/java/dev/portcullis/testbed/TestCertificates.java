package dev.portcullis.testbed;

import dev.portcullis.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made by openssl as an operator (or cert-manager) makes them: a CA, and leaves it signs
 * with a chosen serial, for a server on 127.0.0.1 or for a client; and TLS clients that trust the CA.
 */
public final class TestCertificates {
    private TestCertificates() {}

    /** A self-signed CA, {@code name.crt} and {@code name.key} in {@code dir}. */
    public static void ca(Path dir, String name) {
        Processes.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + name);
    }

    /**
     * A leaf signed by CA {@code ca}, {@code name.crt} and {@code name.key}, with serial {@code serialHex}:
     * for a server on 127.0.0.1/localhost, or (client) for TLS client authentication.
     */
    public static void leaf(Path dir, String ca, String name, String serialHex, boolean client) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), client ? "extendedKeyUsage=clientAuth\n"
                    : "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Processes.ok(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        Processes.ok(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-set_serial", "0x" + serialHex, "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
    }

    /** A TLS context trusting {@code caCert}, presenting the client pair {@code client} (cert, key) when given. */
    public static SSLContext context(Path caCert, Optional<Path[]> client) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", Pem.readCertificates(caCert).get(0));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.KeyManager[] keys = null;
            if (client.isPresent()) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                List<X509Certificate> chain = Pem.readCertificates(client.get()[0]);
                ks.setKeyEntry("client", Pem.readPrivateKey(client.get()[1]), new char[0], chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                keys = kmf.getKeyManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTPS client of {@link #context}: a new one has no TLS session to resume. */
    public static HttpClient https(Path caCert, Optional<Path[]> client) {
        return HttpClient.newBuilder().sslContext(context(caCert, client)).connectTimeout(java.time.Duration.ofSeconds(5)).build();
    }

    /** The serial (hex, upper case) of the certificate a new TLS connection to 127.0.0.1:{@code port} is served. */
    public static String servedSerial(Path caCert, int port) {
        try (SSLSocket s = (SSLSocket) context(caCert, Optional.empty()).getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.startHandshake();
            BigInteger serial = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
            return serial.toString(16).toUpperCase(java.util.Locale.ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code openssl s_client} at one TLS version ({@code -tls1_1}, {@code -tls1_2}, {@code -tls1_3}), every cipher allowed on the client's side. */
    public static Processes.Result sClient(Path dir, int port, String versionFlag) {
        // SECLEVEL=0: OpenSSL 3 would refuse TLS 1.1 itself; the refusal tested must be the server's.
        return Processes.run(dir, "bash", "-c", "openssl s_client -connect 127.0.0.1:" + port + " " + versionFlag
                + " -cipher 'DEFAULT:@SECLEVEL=0' -brief </dev/null");
    }
}
