package dev.portcullis.pki;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS server context whose certificate, key and client CAs are read again from their files on
 * {@link #poll}: a handshake after a successful reload gets the new material, open connections keep
 * theirs, and a pair that does not read or does not match keeps the old one. The JDK asks the key and
 * trust managers on every handshake, so swapping what they delegate to is the whole reload.
 */
public final class ReloadingServerTls {
    /** What a {@link #poll} did. */
    public sealed interface Outcome {
        /** The files hold what is served, or what was refused last time. */
        record Unchanged() implements Outcome {}

        /** New handshakes now get this material. */
        record Reloaded(ServerKeyMaterial material) implements Outcome {}

        /** The files changed but cannot be served; the previous material stays. */
        record Refused(String reason) implements Outcome {}
    }

    private final ServerKeyMaterial.Files files;
    private final SSLContext context;
    private volatile ServerKeyMaterial current;
    private volatile X509ExtendedKeyManager keys;
    private volatile X509ExtendedTrustManager trust;
    private String lastSeen;

    private ReloadingServerTls(ServerKeyMaterial.Files files, ServerKeyMaterial first) {
        this.files = files;
        install(first);
        this.lastSeen = first.version();
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {new KeyDelegate()},
                    files.clientCa().isPresent() ? new javax.net.ssl.TrustManager[] {new TrustDelegate()} : null, null);
        } catch (GeneralSecurityException e) {
            throw new PemException("cannot set up TLS from " + files.certificate() + ": " + e.getMessage(), e);
        }
    }

    /** Reads the files now; {@link PemException} when they cannot be served. */
    public static ReloadingServerTls open(ServerKeyMaterial.Files files) {
        return new ReloadingServerTls(files, ServerKeyMaterial.read(files));
    }

    /** The context to serve with: the same object across reloads. */
    public SSLContext context() {
        return context;
    }

    /** What new handshakes get now. */
    public ServerKeyMaterial current() {
        return current;
    }

    /** Whether clients must present a certificate that chains to the configured CAs. */
    public boolean requiresClientCertificate() {
        return files.clientCa().isPresent();
    }

    /** Reads the files again; one caller at a time (the listener's poller). */
    public synchronized Outcome poll() {
        ServerKeyMaterial.Texts texts;
        try {
            texts = ServerKeyMaterial.Texts.read(files);
        } catch (PemException e) {
            return refuse("unreadable:" + e.getMessage(), e.getMessage());
        }
        if (texts.version().equals(lastSeen)) {
            return new Outcome.Unchanged();
        }
        try {
            ServerKeyMaterial next = ServerKeyMaterial.parse(files, texts);
            install(next);
            lastSeen = next.version();
            return new Outcome.Reloaded(next);
        } catch (PemException | IllegalStateException e) {
            return refuse(texts.version(), e.getMessage());
        }
    }

    // Refused once per content: the poller says so once, not every interval until the files are fixed.
    private Outcome refuse(String version, String reason) {
        if (version.equals(lastSeen)) {
            return new Outcome.Unchanged();
        }
        lastSeen = version;
        return new Outcome.Refused(reason);
    }

    private void install(ServerKeyMaterial m) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] transientPassword = new char[0];
            ks.setKeyEntry("server", m.key(), transientPassword, m.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, transientPassword);
            X509ExtendedTrustManager nextTrust = null;
            if (!m.clientCas().isEmpty()) {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                for (int i = 0; i < m.clientCas().size(); i++) {
                    cas.setCertificateEntry("ca" + i, m.clientCas().get(i));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(cas);
                nextTrust = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
            }
            X509ExtendedKeyManager nextKeys = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
            // Trust first: a handshake between the two writes sees the new CAs with the old key, never the reverse.
            trust = nextTrust;
            keys = nextKeys;
            current = m;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot use the key of " + files.key() + ": " + e.getMessage(), e);
        }
    }

    /** Asks whatever key manager is current now. */
    private final class KeyDelegate extends X509ExtendedKeyManager {
        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keys.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return keys.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keys.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return keys.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    /** Asks whatever trust manager is current now. */
    private final class TrustDelegate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            trust.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            trust.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a server context checks no server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a server context checks no server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server context checks no server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }
}
