package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.platform.BackgroundWork;
import dev.portcullis.platform.Capability;
import dev.portcullis.platform.Contribution;
import dev.portcullis.platform.Module;
import dev.portcullis.platform.StartContext;
import dev.portcullis.policy.PolicyCheck;
import dev.portcullis.store.CodeMigration;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capability declared in one place (section, migration, routes, readiness, background work, a policy check), started over HTTP. */
class CapabilitySeamHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BANNED = "gcr.io/p/app@sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    enum ProbeReason implements PolicyCheck.ReasonCode { PROBE_BANNED }

    record ProbeSettings(String greeting) {}

    static final class Probe implements Module {
        final String greeting;
        final long rows;
        final AtomicBoolean healthy = new AtomicBoolean(true);
        final AtomicBoolean started = new AtomicBoolean();
        final AtomicBoolean stopped = new AtomicBoolean();

        Probe(String greeting, long rows) {
            this.greeting = greeting;
            this.rows = rows;
        }

        @Override
        public List<BackgroundWork> background() {
            return List.of(new BackgroundWork() {
                @Override
                public String name() {
                    return "follower";
                }

                @Override
                public void start() {
                    started.set(true);
                }

                @Override
                public void stop() {
                    stopped.set(true);
                }

                @Override
                public Health health() {
                    return healthy.get() ? Health.ok() : new Health(false, "feed unreachable");
                }
            });
        }

        @Override
        public <T> List<T> contributions(Contribution<T> kind) {
            if (!kind.equals(PolicyCheck.CONTRIBUTION)) {
                return List.of();
            }
            PolicyCheck ban = in -> in.image().equals(BANNED)
                    ? new PolicyCheck.Deny("probe.bans", ProbeReason.PROBE_BANNED, in.image() + " is banned", "rebuild it", Map.of())
                    : new PolicyCheck.Pass("probe.bans", "not banned", Map.of());
            return List.of(kind.type().cast(ban));
        }
    }

    static final class ProbeCapability implements Capability<ProbeSettings, Probe> {
        final List<Probe> started = new ArrayList<>();

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public Set<String> sections() {
            return Set.of("probe");
        }

        @Override
        public List<String> migrations() {
            return List.of("classpath:db/probe");
        }

        @Override
        public List<CodeMigration> codeMigrations() {
            return List.of(new CodeMigration() {
                @Override
                public String version() {
                    return "9000.2";
                }

                @Override
                public String description() {
                    return "probe row";
                }

                @Override
                public void migrate(Connection connection) throws java.sql.SQLException {
                    try (var st = connection.createStatement()) {
                        st.execute("INSERT INTO probe_rows (id) VALUES (1)");
                    }
                }
            });
        }

        @Override
        public ProbeSettings settings(ConfigSection root, Path dataDir) {
            ConfigSection s = root.section("probe");
            s.rejectUnknown(Set.of("greeting"));
            return new ProbeSettings(s.string("greeting", "hello"));
        }

        @Override
        public Probe start(ProbeSettings settings, StartContext context) {
            // The table of its own migration exists by now.
            try (Connection c = context.database().connection();
                 ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM probe_rows")) {
                rs.next();
                Probe p = new Probe(settings.greeting(), rs.getLong(1));
                started.add(p);
                return p;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Mounted<ProbeSettings, Probe> mounted(ProbeCapability capability) {
        return new Mounted<>(capability, (probe, ctx) -> List.<HttpService>of(new HttpService() {
            @Override
            public void routing(HttpRules rules) {
                rules.get("/probe", (req, res) -> res.send(probe.get().greeting + " " + probe.get().rows));
            }
        }));
    }

    // The probe goes before the attestations and policy capability, which takes its policy check.
    private Application start(String yaml, List<Mounted<?, ?>> extra) {
        List<Mounted<?, ?>> all = new ArrayList<>(Capabilities.all());
        int policy = all.stream().map(m -> m.capability().name()).toList().indexOf("policy");
        all.addAll(policy, extra);
        return Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n" + yaml,
                "a.yml", Map.of()), Clock.systemUTC(), all);
    }

    private static HttpResponse<String> call(Application app, String method, String path, String body) throws Exception {
        String token = Files.readString(app.adminTokenFile().orElseThrow()).strip();
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void start_capabilityWithSectionAndMigrations_servesItsRouteWithItsSettingsAndRows() throws Exception {
        for (int run = 0; run < 2; run++) { // the second start finds both migrations applied
            try (Application app = start("probe: {greeting: hi}\n", List.of(mounted(new ProbeCapability())))) {
                HttpResponse<String> r = call(app, "GET", "/probe", null);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hi 1");
            }
        }
    }

    @Test
    void start_typoInTheCapabilitysSection_refusedWithFileAndLine() {
        assertThatThrownBy(() -> start("probe: {greting: hi}\n", List.of(mounted(new ProbeCapability()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("greting").hasMessageContaining("line 3");
        assertThat(dir.resolve("portcullis.mv.db")).doesNotExist();
    }

    @Test
    void start_twoCapabilitiesClaimOneSection_refused() {
        assertThatThrownBy(() -> start("", List.of(mounted(new ProbeCapability()), mounted(new ProbeCapability()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'probe'");
    }

    @Test
    void evaluate_contributedPolicyCheck_deniesWithItsReasonAfterTheAttestationCheckAllowed() throws Exception {
        try (Application app = start("", List.of(mounted(new ProbeCapability())))) {
            assertThat(call(app, "PUT", "/api/v1/policy", "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n").statusCode())
                    .isEqualTo(200);
            JsonNode d = JSON.readTree(call(app, "POST", "/api/v1/evaluate", "{\"images\": [\"" + BANNED + "\", \"gcr.io/p/ok:1\"]}").body());
            assertThat(d.get("allowed").asBoolean()).isFalse();
            assertThat(d.get("images").get(0).get("reason").asText()).isEqualTo("PROBE_BANNED");
            assertThat(d.get("images").get(0).get("rule").asText()).isEqualTo("probe.bans");
            assertThat(d.get("images").get(1).get("allowed").asBoolean()).isTrue();
        }
    }

    @Test
    void readyz_backgroundWorkUnhealthy_503NamingItThenReadyAgain() throws Exception {
        ProbeCapability capability = new ProbeCapability();
        Probe probe;
        try (Application app = start("", List.of(mounted(capability)))) {
            probe = capability.started.get(0);
            assertThat(probe.started).isTrue();
            assertThat(call(app, "GET", "/readyz", null).statusCode()).isEqualTo(200);
            probe.healthy.set(false);
            HttpResponse<String> r = call(app, "GET", "/readyz", null);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("probe follower: feed unreachable");
            // One field per part that is not ready, in the same JSON as the store's and the audit log's.
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("ready").asBoolean()).isFalse();
            assertThat(body.get("probe").asText()).isEqualTo("probe follower: feed unreachable");
            assertThat(body.has("store")).isFalse();
            probe.healthy.set(true);
            assertThat(call(app, "GET", "/readyz", null).statusCode()).isEqualTo(200);
        }
        assertThat(probe.stopped).isTrue();
    }
}
