package dev.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code admission} section's keys of the webhook's own TLS listener, and the values refused with their key and line. */
class AdmissionListenerSettingsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("tls.crt"), "x");
        Files.writeString(dir.resolve("tls.key"), "x");
    }

    private AdmissionSettings read(String admissionKeys, Map<String, String> env) {
        String yaml = ("admission:\n  enabled: true\n" + admissionKeys).replace("DIR", dir.toString());
        return AdmissionSettings.from(ConfigDocument.parse(yaml, "a.yml", env).root());
    }

    @Test
    void from_noAddr_noOwnListener() {
        assertThat(read("", Map.of()).listener()).isEmpty();
    }

    @Test
    void from_addrCertificateKeyAndClientCa_readsThemWithDefaults() {
        AdmissionListenerSettings l = read("  addr: \"0.0.0.0:8443\"\n  certificate: DIR/tls.crt\n  key: DIR/tls.key\n"
                + "  client_ca: DIR/tls.crt\n", Map.of()).listener().orElseThrow();
        assertThat(l.host()).isEqualTo("0.0.0.0");
        assertThat(l.port()).isEqualTo(8443);
        assertThat(l.certificate()).isEqualTo(dir.resolve("tls.crt"));
        assertThat(l.clientCa()).contains(dir.resolve("tls.crt"));
        assertThat(l.tlsMinVersion()).isEqualTo("TLS12");
        assertThat(l.reloadInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void from_environmentOnly_asADeploymentSetsIt() {
        AdmissionListenerSettings l = read("", Map.of("PORTCULLIS_ADMISSION_ADDR", ":9443",
                "PORTCULLIS_ADMISSION_CERTIFICATE", dir.resolve("tls.crt").toString(),
                "PORTCULLIS_ADMISSION_KEY", dir.resolve("tls.key").toString(),
                "PORTCULLIS_ADMISSION_TLS_MIN_VERSION", "TLS13")).listener().orElseThrow();
        assertThat(l.host()).isEqualTo("0.0.0.0");
        assertThat(l.port()).isEqualTo(9443);
        assertThat(l.tlsMinVersion()).isEqualTo("TLS13");
    }

    @Test
    void from_certificateFromTheEnvironmentWithoutAddr_isRefusedNamingTheVariable() {
        assertThatThrownBy(() -> read("", Map.of("PORTCULLIS_ADMISSION_CERTIFICATE", dir.resolve("tls.crt").toString())))
                .hasMessageContaining("PORTCULLIS_ADMISSION_CERTIFICATE").hasMessageContaining("set admission.addr too");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no port              | addr: example.org                                                       | a.yml line 3: admission.addr must be host:port",
            "port not a number    | addr: \"h:https\"                                                       | admission.addr has a port that is not a number",
            "port too large       | addr: \"h:70000\"                                                       | admission.addr has a port outside 0..65535",
            "no certificate       | addr: \"h:8443\"\\n  key: DIR/tls.key                                   | admission.certificate is needed",
            "no key               | addr: \"h:8443\"\\n  certificate: DIR/tls.crt                           | admission.key is needed",
            "missing file         | addr: \"h:8443\"\\n  certificate: DIR/nope.crt\\n  key: DIR/tls.key      | admission.certificate names",
            "missing client CA    | addr: \"h:8443\"\\n  certificate: DIR/tls.crt\\n  key: DIR/tls.key\\n  client_ca: DIR/ca.crt | admission.client_ca names",
            "TLS 1.1              | addr: \"h:8443\"\\n  certificate: DIR/tls.crt\\n  key: DIR/tls.key\\n  tls_min_version: TLS11 | admission.tls_min_version must be TLS12 or TLS13",
            "zero interval        | addr: \"h:8443\"\\n  certificate: DIR/tls.crt\\n  key: DIR/tls.key\\n  reload_interval: 0s | admission.reload_interval must be between",
            "certificate, no addr | certificate: DIR/tls.crt                                                | admission.certificate belongs to the webhook's own listener",
            "unknown key          | addr: \"h:8443\"\\n  cert: DIR/tls.crt                                  | cert"})
    void from_badListenerValue_namesTheKeyAndLine(String name, String keys, String message) {
        assertThatThrownBy(() -> read("  " + keys.replace("\\n", "\n") + "\n", Map.of()))
                .hasMessageContaining("a.yml").hasMessageContaining(message);
    }
}
