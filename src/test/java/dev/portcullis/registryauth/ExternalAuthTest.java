package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ext_auth and ext_authz with real programs: exit statuses, standard input, labels, timeouts. */
class ExternalAuthTest {
    @TempDir
    Path dir;

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static ConfigSection section(String yaml) {
        return ConfigDocument.parse(yaml, "ext.yml", Map.of()).root().section("x");
    }

    @ParameterizedTest(name = "exit {0}")
    @CsvSource({"0, Authenticated", "1, Rejected", "2, NoMatch"})
    void extAuth_exitStatus_decides(int status, String expected) throws Exception {
        Path s = script("auth.sh", "cat > " + dir.resolve("stdin") + "\nexit " + status);
        ExtAuthAuthenticator a = ExtAuthAuthenticator.from(section("x: {command: \"" + s + "\"}"));
        AuthnResult r = a.authenticate("alice", Secret.of("s3cret pass"));
        assertThat(r.getClass().getSimpleName()).isEqualTo(expected);
        assertThat(Files.readString(dir.resolve("stdin"))).isEqualTo("alice s3cret pass");
    }

    @Test
    void extAuth_labelsOnStdout_areReturned() throws Exception {
        Path s = script("auth.sh", "echo '{\"labels\": {\"group\": [\"admins\", \"dev\"], \"tier\": \"gold\"}}'");
        AuthnResult r = ExtAuthAuthenticator.from(section("x: {command: \"" + s + "\"}")).authenticate("a", Secret.of("p"));
        assertThat(r).isEqualTo(new AuthnResult.Authenticated(
                Map.of("group", List.of("admins", "dev"), "tier", List.of("gold")), "ext_auth"));
    }

    @Test
    void extAuth_otherExitStatus_failsClosedWithoutPassword() throws Exception {
        Path s = script("auth.sh", "exit 7");
        ExtAuthAuthenticator a = ExtAuthAuthenticator.from(section("x: {command: \"" + s + "\"}"));
        assertThatThrownBy(() -> a.authenticate("alice", Secret.of("hunter2")))
                .isInstanceOf(AuthServiceException.class).hasMessageContaining("exited 7").hasMessageNotContaining("hunter2");
    }

    @Test
    void extAuth_hangingProgram_isKilledAtTimeout() throws Exception {
        Path s = script("auth.sh", "sleep 30");
        ExtAuthAuthenticator a = ExtAuthAuthenticator.from(section("x: {command: \"" + s + "\", timeout: 300ms}"));
        long t = System.nanoTime();
        assertThatThrownBy(() -> a.authenticate("alice", Secret.of("p"))).hasMessageContaining("did not finish");
        assertThat((System.nanoTime() - t) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void extAuth_missingProgram_failsClosed() {
        ExtAuthAuthenticator a = ExtAuthAuthenticator.from(section("x: {command: /nonexistent/auth}"));
        assertThatThrownBy(() -> a.authenticate("alice", Secret.of("p"))).isInstanceOf(AuthServiceException.class);
    }

    @ParameterizedTest(name = "exit {0}")
    @CsvSource({"0, 'pull,push'", "1, ''"})
    void extAuthz_exitStatus_grantsRequestedOrNothing(int status, String granted) throws Exception {
        Path s = script("authz.sh", "cat > " + dir.resolve("req.json") + "\nexit " + status);
        ExtAuthzAuthorizer a = ExtAuthzAuthorizer.from(section("x: {command: \"" + s + "\", args: [--flag]}"));
        AuthzResult r = a.authorize(new AuthzRequest("alice", "repository", "team/app", "registry.local", "10.0.0.1",
                Set.of("pull", "push"), Map.of("team", List.of("red"))));
        assertThat(((AuthzResult.Decided) r).actions())
                .containsExactlyInAnyOrderElementsOf(granted.isEmpty() ? List.of() : List.of(granted.split(",")));
        assertThat(Files.readString(dir.resolve("req.json"))).contains("\"Account\":\"alice\"", "\"Type\":\"repository\"",
                "\"Name\":\"team/app\"", "\"Service\":\"registry.local\"", "\"IP\":\"10.0.0.1\"", "\"Labels\":{\"team\":[\"red\"]}");
    }

    @Test
    void extAuthz_errorStatus_failsClosed() throws Exception {
        Path s = script("authz.sh", "exit 2");
        ExtAuthzAuthorizer a = ExtAuthzAuthorizer.from(section("x: {command: \"" + s + "\"}"));
        assertThatThrownBy(() -> a.authorize(new AuthzRequest("a", "repository", "n", "s", "", Set.of("pull"), Map.of())))
                .isInstanceOf(AuthServiceException.class);
    }

    @Test
    void from_missingCommand_namesKey() {
        assertThatThrownBy(() -> ExtAuthzAuthorizer.from(section("x: {args: [a]}"))).hasMessageContaining("x.command");
    }
}
