package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.Secret;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ldap_auth over LDAPS and StartTLS against the in-memory directory server, with a CA and a server
 * certificate (for the name localhost only) made by openssl.
 */
@RequiresTools({"openssl"})
class LdapTlsTest {
    @TempDir
    static Path dir;

    private static InMemoryDirectoryServer ldap;

    @BeforeAll
    static void start() throws Exception {
        Processes.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Test LDAP CA");
        Processes.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "2", "-subj", "/CN=Some other CA");
        Processes.ok(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost\n");
        Processes.ok(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
        Processes.ok(dir, "openssl", "pkcs12", "-export", "-in", "server.crt", "-inkey", "server.key", "-name", "server",
                "-out", "server.p12", "-passout", "pass:changeit");
        Files.writeString(dir.resolve("bind.pw"), "svcpw\n");

        SSLUtil serverSsl = new SSLUtil(new KeyStoreKeyManager(dir.resolve("server.p12").toFile(),
                "changeit".toCharArray(), "PKCS12", "server"), null);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=example,dc=com");
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0, serverSsl.createSSLServerSocketFactory(), null),
                InMemoryListenerConfig.createLDAPConfig("starttls", loopback, 0, serverSsl.createSSLSocketFactory()),
                InMemoryListenerConfig.createLDAPConfig("plain", loopback, 0, null));
        config.addAdditionalBindCredentials("cn=svc,dc=example,dc=com", "svcpw");
        config.setSchema(null);
        ldap = new InMemoryDirectoryServer(config);
        ldap.startListening();
        ldap.add("dn: dc=example,dc=com", "objectClass: top", "objectClass: domain", "dc: example");
        ldap.add("dn: uid=alice,dc=example,dc=com", "objectClass: person", "uid: alice", "cn: Alice", "sn: A",
                "userPassword: wonderland");
    }

    @AfterAll
    static void stop() {
        if (ldap != null) {
            ldap.shutDown(true);
        }
    }

    private static LdapAuthenticator ldapAuth(String host, String listener, String tls, String extra) {
        String yaml = """
                ldap_auth:
                  addr: "%s:%d"
                  tls: %s
                  base: "dc=example,dc=com"
                  filter: "(uid=${account})"
                  bind_dn: "cn=svc,dc=example,dc=com"
                  bind_password_file: "%s"
                %s""".formatted(host, ldap.getListenPort(listener), tls, dir.resolve("bind.pw"), extra);
        return LdapAuthenticator.from(ConfigDocument.parse(yaml, "ldap.yml", Map.of()).root().section("ldap_auth"));
    }

    private static String ca(String file) {
        return "  ca_certificate: \"" + dir.resolve(file) + "\"\n";
    }

    @Test
    void authenticate_ldapsWithCaCertificate_authenticates() {
        assertThat(ldapAuth("localhost", "ldaps", "always", ca("ca.crt")).authenticate("alice", Secret.of("wonderland")))
                .isInstanceOf(AuthnResult.Authenticated.class);
    }

    @Test
    void authenticate_startTlsWithCaCertificate_authenticates() {
        assertThat(ldapAuth("localhost", "starttls", "starttls", ca("ca.crt")).authenticate("alice", Secret.of("wonderland")))
                .isInstanceOf(AuthnResult.Authenticated.class);
    }

    @Test
    void authenticate_serverCertificateFromAnotherCa_failsClosed() {
        LdapAuthenticator auth = ldapAuth("localhost", "ldaps", "always", ca("other-ca.crt"));
        assertThatThrownBy(() -> auth.authenticate("alice", Secret.of("wonderland")))
                .isInstanceOf(AuthServiceException.class).hasMessageContaining("ldap_auth");
    }

    @Test
    void authenticate_withoutCaCertificate_trustsOnlyTheJvmStoreAndFailsClosed() {
        LdapAuthenticator auth = ldapAuth("localhost", "ldaps", "always", "");
        assertThatThrownBy(() -> auth.authenticate("alice", Secret.of("wonderland")))
                .isInstanceOf(AuthServiceException.class);
    }

    @Test
    void authenticate_addressNotNamedInTheCertificate_failsClosed() {
        // Trusted chain, but the certificate names localhost and the address is 127.0.0.1.
        LdapAuthenticator auth = ldapAuth("127.0.0.1", "ldaps", "always", ca("ca.crt"));
        assertThatThrownBy(() -> auth.authenticate("alice", Secret.of("wonderland")))
                .isInstanceOf(AuthServiceException.class);
        LdapAuthenticator startTls = ldapAuth("127.0.0.1", "starttls", "starttls", ca("ca.crt"));
        assertThatThrownBy(() -> startTls.authenticate("alice", Secret.of("wonderland")))
                .isInstanceOf(AuthServiceException.class);
    }

    @Test
    void authenticate_startTlsRefusedByTheServer_neverBindsInTheClear() {
        // The plain listener has no StartTLS: the password must not be sent unencrypted instead.
        LdapAuthenticator auth = ldapAuth("localhost", "plain", "starttls", ca("ca.crt"));
        assertThatThrownBy(() -> auth.authenticate("alice", Secret.of("wonderland")))
                .isInstanceOf(AuthServiceException.class);
    }

    @Test
    void authenticate_insecureSkipVerify_acceptsAnyServer() {
        assertThat(ldapAuth("127.0.0.1", "ldaps", "always", "  insecure_tls_skip_verify: true\n")
                .authenticate("alice", Secret.of("wonderland"))).isInstanceOf(AuthnResult.Authenticated.class);
    }

    @Test
    void from_caCertificateNotACertificate_namesTheKey() throws Exception {
        Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        assertThatThrownBy(() -> ldapAuth("localhost", "ldaps", "always", ca("junk.pem")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ldap_auth.ca_certificate");
        assertThatThrownBy(() -> ldapAuth("localhost", "ldaps", "always", ca("missing.pem")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ldap_auth.ca_certificate");
    }
}
