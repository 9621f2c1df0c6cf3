package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.Secret;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ldap_auth against UnboundID's in-memory directory server, which speaks real LDAP over a socket. */
class LdapAuthenticatorTest {
    @TempDir
    static Path dir;

    private static InMemoryDirectoryServer ldap;
    private static LdapAuthenticator auth;

    @BeforeAll
    static void start() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=example,dc=com");
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        config.addAdditionalBindCredentials("cn=svc,dc=example,dc=com", "svcpw");
        config.setSchema(null);
        ldap = new InMemoryDirectoryServer(config);
        ldap.startListening();
        ldap.add("dn: dc=example,dc=com", "objectClass: top", "objectClass: domain", "dc: example");
        ldap.add("dn: ou=people,dc=example,dc=com", "objectClass: organizationalUnit", "ou: people");
        ldap.add("dn: uid=alice,ou=people,dc=example,dc=com", "objectClass: person", "uid: alice", "cn: Alice",
                "sn: A", "userPassword: wonderland", "title: engineer",
                "memberOf: cn=platform,ou=groups,dc=example,dc=com", "memberOf: cn=dev,ou=groups,dc=example,dc=com");
        ldap.add("dn: uid=twin1,ou=people,dc=example,dc=com", "objectClass: person", "uid: twin", "cn: T1", "sn: T",
                "userPassword: x");
        ldap.add("dn: uid=twin2,ou=people,dc=example,dc=com", "objectClass: person", "uid: twin", "cn: T2", "sn: T",
                "userPassword: x");
        Path pw = dir.resolve("bind.pw");
        Files.writeString(pw, "svcpw\n");
        String yaml = """
                ldap_auth:
                  addr: "127.0.0.1:%d"
                  tls: none
                  base: "ou=people,dc=example,dc=com"
                  filter: "(&(uid=${account})(objectClass=person))"
                  bind_dn: "cn=svc,dc=example,dc=com"
                  bind_password_file: "%s"
                  labels:
                    title: {attribute: title}
                    groups: {attribute: memberOf, parse_cn: true}
                """.formatted(ldap.getListenPort(), pw);
        auth = LdapAuthenticator.from(ConfigDocument.parse(yaml, "ldap.yml", Map.of()).root().section("ldap_auth"));
    }

    @AfterAll
    static void stop() {
        ldap.shutDown(true);
    }

    @Test
    void authenticate_rightPassword_authenticatesWithLabelsFromAttributes() {
        assertThat(auth.authenticate("alice", Secret.of("wonderland"))).isEqualTo(new AuthnResult.Authenticated(
                Map.of("title", List.of("engineer"), "groups", List.of("platform", "dev")), "ldap_auth"));
    }

    @Test
    void lookup_existingAccount_isUnverifiableSoItGetsNoRefreshToken() {
        // Found in the directory or not, only a bind with the password says whether it changed.
        assertThat(auth.lookup("alice")).isEqualTo(new AccountState.Unverifiable("ldap_auth"));
    }

    @Test
    void authenticate_wrongPassword_isRejected() {
        assertThat(auth.authenticate("alice", Secret.of("nope"))).isInstanceOf(AuthnResult.Rejected.class);
    }

    @Test
    void authenticate_emptyPassword_neverBindsAnonymously() {
        assertThat(auth.authenticate("alice", Secret.of(""))).isInstanceOf(AuthnResult.NoMatch.class);
    }

    @Test
    void authenticate_unknownAccount_isNoMatch() {
        assertThat(auth.authenticate("bob", Secret.of("x"))).isInstanceOf(AuthnResult.NoMatch.class);
    }

    @Test
    void authenticate_filterInjection_isEscaped() {
        assertThat(auth.authenticate("*", Secret.of("wonderland"))).isInstanceOf(AuthnResult.NoMatch.class);
        assertThat(auth.authenticate("alice)(uid=*", Secret.of("wonderland"))).isInstanceOf(AuthnResult.NoMatch.class);
    }

    @Test
    void authenticate_twoEntriesForOneAccount_failsClosed() {
        assertThatThrownBy(() -> auth.authenticate("twin", Secret.of("x"))).isInstanceOf(AuthServiceException.class)
                .hasMessageContaining("2 entries");
    }

    @Test
    void from_filterWithoutAccount_namesKey() {
        assertThatThrownBy(() -> LdapAuthenticator.from(ConfigDocument.parse(
                "l: {addr: 'h:389', base: 'dc=x', filter: '(uid=bob)'}", "ldap.yml", Map.of()).root().section("l")))
                .hasMessageContaining("l.filter").hasMessageContaining("${account}");
    }
}
