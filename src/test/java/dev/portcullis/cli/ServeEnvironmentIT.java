package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testbed.Launcher;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's environment variables as a user meets them, through the launcher: listed in --help, a typo refused. */
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
}
