package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Start-up refuses a configuration it cannot honour, naming the key, the file and the line. */
class ApplicationConfigTest {
    @TempDir
    Path dir;

    private Application start(String yaml, Map<String, String> env) {
        return Application.start(ConfigDocument.parse("data_dir: \"" + dir + "\"\n" + yaml, "auth.yml", env), Clock.systemUTC());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "github_auth: {organization: x}                | github_auth         | line 2",
            "mongo_auth: {}                                | mongo_auth          | line 2",
            "acls: []                                      | unknown key acls    | line 2",
            "server: {addr: nonsense}                      | server.addr         | line 2",
            "users: {alice: {password: plaintext}}         | bcrypt              | line 2",
            "token: {expiration: 0}                        | token.expiration    | line 2",
            "server: {net: udp, addr: /tmp/s}              | server.net          | line 2",
            "server: {net: unix, addr: relative}           | server.addr         | line 2",
            "store: {url: 'jdbc:mysql://x'}                | store.url           | line 2",
            "audit: {retention: {max_size: lots}}          | audit.retention.max_size | line 2",
            "audit: {repeat_windows: 1m}                   | audit.repeat_windows | line 2",
            "server: {public_url: 'ftp://auth.example.com'} | server.public_url  | line 2",
            "server: {public_url: 'auth.example.com'}      | server.public_url   | line 2",
            "server: {public_url: 'https://h/?x=1'}        | server.public_url   | line 2",
            "server: {certificate: /nonexistent/c.pem, key: /nonexistent/k.pem} | server.certificate names /nonexistent/c.pem, which does not exist | line 2",
            "token: {certificate: /nonexistent/c.pem, key: /nonexistent/k.pem}  | token.certificate names /nonexistent/c.pem, which does not exist  | line 2",
            "token: {certificate: /, key: /}               | token.certificate names /, which is not a file this process can read | line 2",
    })
    void start_badConfiguration_namesKeyAndLine(String yaml, String expected, String line) {
        assertThatThrownBy(() -> start(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected.trim())
                .hasMessageContaining("auth.yml " + line.trim());
    }

    @Test
    void start_netUnix_servesTokensOverTheSocket() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.portcullis.testbed.Processes.onPath("curl"), "curl is installed by .ci/run");
        Path sock = dir.resolve("auth.sock");
        String hash = org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
        try (Application app = start("server: {net: unix, addr: \"" + sock + "\"}\nusers: {alice: {password: \"" + hash + "\"}}\n",
                Map.of())) {
            String health = dev.portcullis.testbed.Processes.ok(dir, "curl", "-s", "--unix-socket", sock.toString(), "http://localhost/healthz");
            assertThat(health).isEqualTo("ok\n");
            String token = dev.portcullis.testbed.Processes.ok(dir, "curl", "-s", "-u", "alice:secret", "--unix-socket", sock.toString(),
                    "http://localhost/auth?service=registry.local");
            assertThat(token).contains("\"token\"");
            assertThat(app.registrySnippet()).contains("unix:" + sock);
        }
        assertThat(java.nio.file.Files.exists(sock)).isFalse();
    }

    @Test
    void start_portInUse_failsCleanlyAndReleasesTheStore() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String addr = "server: {addr: \"127.0.0.1:" + taken.getLocalPort() + "\"}\n";
            assertThatThrownBy(() -> start(addr, Map.of())).isInstanceOf(ConfigException.class)
                    .hasMessage("auth.yml line 2: server.addr cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + " (address in use, or not an address of this host)");
        }
        // The store and the keys were made before the listener failed: owner-only all the same.
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(f)))
                        .as(f.toString()).isEqualTo("rw-------");
            }
        }
        try (Application again = start("server: {addr: \"127.0.0.1:0\"}\n", Map.of())) {
            assertThat(again.port()).isPositive();
        }
    }

    @Test
    void start_misspelledEnvironmentVariable_stopsNamingItAndTheClosest() {
        assertThatThrownBy(() -> start("server: {addr: \"127.0.0.1:0\"}\n", Map.of("PORTCULLIS_SERVR_ADDR", "0.0.0.0:5001")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environment variable PORTCULLIS_SERVR_ADDR matches no setting")
                .hasMessageContaining("did you mean PORTCULLIS_SERVER_ADDR?");
    }

    @Test
    void start_clientAndLauncherVariables_areNotSettingsButAccepted() {
        try (Application app = start("server: {addr: \"127.0.0.1:0\"}\n", Map.of("PORTCULLIS_JAVA_OPTS", "-Xmx1g",
                "PORTCULLIS_SERVER", "http://x", "PORTCULLIS_TOKEN_EXPIRATION", "600",
                "PORTCULLIS_ENGINE_GUARD_LISTEN", "127.0.0.1:2376"))) {
            assertThat(app.port()).isPositive();
        }
    }

    @Test
    void registrySnippet_publicUrlSet_isTheRealmWithThePathPrefix() {
        try (Application app = start("server: {addr: \"0.0.0.0:0\", path_prefix: /docker_auth}\n",
                Map.of("PORTCULLIS_SERVER_PUBLIC_URL", "https://auth.example.com/"))) {
            assertThat(app.registrySnippet()).contains("realm: \"https://auth.example.com/docker_auth/auth\"");
            assertThat(app.warnings()).noneMatch(w -> w.contains("public_url"));
        }
    }

    @Test
    void warnings_everyAddressWithoutPublicUrl_sayToSetIt() {
        try (Application app = start("server: {addr: \"0.0.0.0:0\"}\n", Map.of())) {
            assertThat(app.registrySnippet()).contains("realm: \"http://127.0.0.1:" + app.port() + "/auth\"");
            assertThat(app.warnings()).anyMatch(w -> w.contains("listening on every address (0.0.0.0) without server.public_url")
                    && w.contains("set server.public_url (PORTCULLIS_SERVER_PUBLIC_URL)"));
        }
        try (Application app = start("server: {addr: \"127.0.0.1:0\"}\n", Map.of())) {
            assertThat(app.warnings()).as("loopback only: 127.0.0.1 is right").noneMatch(w -> w.contains("public_url"));
        }
    }

    @Test
    void start_environmentOverridesAddress_listensThere() {
        try (Application app = start("server: {addr: \"127.0.0.1:1\"}\n", Map.of("PORTCULLIS_SERVER_ADDR", "127.0.0.1:0"))) {
            assertThat(app.port()).isNotEqualTo(1).isPositive();
            assertThat(app.registrySnippet()).contains("realm: \"http://127.0.0.1:" + app.port() + "/auth\"")
                    .contains("rootcertbundle").contains("token.crt");
            assertThat(app.warnings()).anyMatch(w -> w.contains("every login is refused"));
        }
    }
}
