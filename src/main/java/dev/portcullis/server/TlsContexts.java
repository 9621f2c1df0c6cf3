package dev.portcullis.server;

import dev.portcullis.pki.Pem;
import io.helidon.common.tls.Tls;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Builds the listener's TLS from PEM files: TLS 1.2 or newer only, never older. */
final class TlsContexts {
    private TlsContexts() {}

    static Tls serverTls(ServerSettings settings) {
        List<X509Certificate> chain = Pem.readCertificates(settings.certificate().orElseThrow());
        PrivateKey key = Pem.readPrivateKey(settings.key().orElseThrow());
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] transientPassword = new char[0];
            ks.setKeyEntry("server", key, transientPassword, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, transientPassword);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            List<String> protocols = settings.tlsMinVersion().equals("TLS13")
                    ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2");
            return Tls.builder().sslContext(ctx).enabledProtocols(protocols).build();
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up TLS from " + settings.certificate().orElseThrow()
                    + ": " + e.getMessage(), e);
        }
    }
}
