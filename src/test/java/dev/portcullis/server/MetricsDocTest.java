package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.ConfigDocument;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/metrics.md and the portcullis_* families /metrics exposes are the same, every one present at zero from the start. */
class MetricsDocTest {
    @TempDir
    Path dir;

    @Test
    void metrics_freshServer_exposeExactlyTheDocumentedFamiliesAtZero() throws Exception {
        String yaml = "server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n";
        try (Application app = Application.start(ConfigDocument.parse(yaml, "auth.yml", Map.of()), Clock.systemUTC())) {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Set<String> exposed = new TreeSet<>();
            Matcher m = Pattern.compile("(?m)^# TYPE (portcullis_\\w+) ").matcher(body);
            while (m.find()) {
                exposed.add(m.group(1));
            }
            Set<String> documented = new TreeSet<>();
            Matcher d = Pattern.compile("(?m)^\\| `(portcullis_\\w+)` \\|").matcher(Files.readString(Path.of("docs/metrics.md")));
            while (d.find()) {
                documented.add(d.group(1));
            }
            assertThat(exposed).isEqualTo(documented);
            for (String outcome : ServerMetrics.TOKEN_OUTCOMES) {
                assertThat(body).contains("portcullis_token_requests_total{outcome=\"" + outcome + "\"} 0.0");
            }
            for (String decision : ServerMetrics.DECISIONS) {
                assertThat(body).contains("portcullis_policy_evaluations_total{decision=\"" + decision + "\"} 0.0");
            }
            assertThat(body).contains("portcullis_audit_write_failures_total 0.0", "portcullis_token_request_seconds_bucket");
        }
    }

    @Test
    void grafanaDashboard_everyQuery_namesOnlyDocumentedMetrics() throws Exception {
        com.fasterxml.jackson.databind.JsonNode dash = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readString(Path.of("deploy/grafana-dashboard.json")));
        Set<String> documented = new TreeSet<>();
        Matcher d = Pattern.compile("(?m)^\\| `(portcullis_\\w+)` \\|").matcher(Files.readString(Path.of("docs/metrics.md")));
        while (d.find()) {
            documented.add(d.group(1));
        }
        int queries = 0;
        for (com.fasterxml.jackson.databind.JsonNode panel : dash.get("panels")) {
            for (com.fasterxml.jackson.databind.JsonNode target : panel.get("targets")) {
                Matcher m = Pattern.compile("portcullis_\\w+").matcher(target.get("expr").asText());
                while (m.find()) {
                    String name = m.group().replaceAll("_(bucket|count|sum)$", "");
                    assertThat(documented).as(panel.get("title").asText()).contains(name);
                    queries++;
                }
            }
        }
        assertThat(queries).isGreaterThanOrEqualTo(8);
    }
}
