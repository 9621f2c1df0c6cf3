package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testbed.Launcher;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's environment variables as a user meets them, through the launcher: listed in --help, a typo refused, a port in use one line. */
class ServeEnvironmentIT {
    @TempDir
    Path dir;

    @Test
    void serveHelp_asAProcess_listsTheSettingVariables() throws Exception {
        Launcher.install(dir);
        Launcher.Result r = Launcher.run(dir, Map.of(), "serve", "--help");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.out()).contains("Environment:", "PORTCULLIS_SERVER_ADDR", "PORTCULLIS_STORE_URL",
                "PORTCULLIS_TOKEN_EXPIRATION", "PORTCULLIS_LOGIN_MAX_FAILURES", "PORTCULLIS_AUDIT_RETENTION_MAX_AGE");
    }

    @Test
    void serve_misspelledVariable_stopsWithOneLineNamingTheClosest() throws Exception {
        Launcher.install(dir);
        Launcher.Result r = Launcher.run(dir, Map.of("PORTCULLIS_SERVR_ADDR", "127.0.0.1:0"), "serve");
        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.err()).contains("PORTCULLIS_SERVR_ADDR", "did you mean PORTCULLIS_SERVER_ADDR?").doesNotContain("\tat ");
    }

    @Test
    void serve_portInUse_saysSoInOneLine() throws Exception {
        Launcher.install(dir);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String addr = "127.0.0.1:" + taken.getLocalPort();
            Launcher.Result r = Launcher.run(dir, Map.of("PORTCULLIS_SERVER_ADDR", addr), "serve");
            assertThat(r.exitCode()).as(r.describe()).isNotZero();
            assertThat(r.out()).as(r.describe()).isEmpty();
            assertThat(r.err()).as(r.describe()).isEqualTo("portcullis: environment variable PORTCULLIS_SERVER_ADDR (server.addr): "
                    + "cannot listen on " + addr + " (address in use, or not an address of this host)\n");
        }
    }
}
