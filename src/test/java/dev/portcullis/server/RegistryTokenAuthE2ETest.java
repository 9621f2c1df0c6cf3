package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.testbed.Images;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.Registry;
import dev.portcullis.testbed.RequiresTools;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The real distribution registry 2.8 delegating auth to {@code serve}, driven by skopeo. */
@RequiresTools({"docker-registry", "skopeo", "umoci", "busybox"})
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryTokenAuthE2ETest {
    private static final String SERVICE = "registry.local";
    private static final String ISSUER = "test-issuer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static Application app;
    private static Registry registry;
    private static String image;

    static String config(Path dataDir, String tokenExtra) {
        String alice = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
        String bob = OpenBSDBCrypt.generate("2y", "bobpw".toCharArray(), new byte[16], 4);
        return """
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                token: {issuer: %s, expiration: 900 %s}
                users:
                  alice: {password: "%s", labels: {team: [platform]}}
                  bob: {password: "%s"}
                  "": {}
                acl:
                  - match: {account: alice}
                    actions: ["*"]
                    comment: alice does anything
                  - match: {account: bob, name: "team/*"}
                    actions: [pull]
                  - match: {account: "", name: "public/*"}
                    actions: [pull]
                """.formatted(dataDir, ISSUER, tokenExtra, alice, bob);
    }

    static Application startApp(String name, String tokenExtra, Clock clock) throws Exception {
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        return Application.start(ConfigDocument.parse(config(data, tokenExtra), name + ".yml", Map.of()), clock);
    }

    @BeforeAll
    static void start() throws Exception {
        app = startApp("main", "", Clock.systemUTC());
        Path bundle = dir.resolve("main").resolve("token.crt");
        Files.createDirectories(dir.resolve("registry"));
        registry = Registry.start(dir.resolve("registry"), "http://127.0.0.1:" + app.port() + "/auth", SERVICE, ISSUER,
                bundle, null);
        Files.createDirectories(dir.resolve("img"));
        image = Images.busyboxLayout(dir.resolve("img"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (app != null) {
            app.close();
        }
    }

    private static Processes.Result skopeo(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "skopeo";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Processes.run(dir, cmd);
    }

    private static Processes.Result push(String creds, String repo) {
        return skopeo("copy", "--dest-tls-verify=false", "--dest-creds", creds, image,
                "docker://" + registry.host() + "/" + repo);
    }

    private static Processes.Result pull(String creds, String repo) {
        String out = "oci:" + dir.resolve("pulled-" + System.nanoTime()) + ":x";
        return creds == null
                ? skopeo("copy", "--src-tls-verify=false", "--src-no-creds", "docker://" + registry.host() + "/" + repo, out)
                : skopeo("copy", "--src-tls-verify=false", "--src-creds", creds, "docker://" + registry.host() + "/" + repo, out);
    }

    @Test
    @Order(1)
    void push_aclAllowsAlice_succeeds() {
        Processes.Result team = push("alice:secret", "team/app:1");
        assertThat(team.exitCode()).as(team.output()).isZero();
        assertThat(push("alice:secret", "public/tool:1").exitCode()).isZero();
    }

    @Test
    @Order(2)
    void pull_aclAllowsBobToPullTeam_succeeds() {
        Processes.Result r = pull("bob:bobpw", "team/app:1");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    @Order(3)
    void push_aclGrantsBobOnlyPull_isDenied() {
        Processes.Result r = push("bob:bobpw", "team/app:2");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output().toLowerCase()).containsAnyOf("denied", "unauthorized", "authentication required");
    }

    @Test
    @Order(4)
    void pull_wrongPassword_isRefused() {
        Processes.Result r = pull("bob:wrong", "team/app:1");
        assertThat(r.exitCode()).isNotZero();
    }

    @Test
    @Order(5)
    void pull_anonymousOnPublic_succeedsAndOnTeamIsDenied() {
        Processes.Result pub = pull(null, "public/tool:1");
        assertThat(pub.exitCode()).as(pub.output()).isZero();
        assertThat(pull(null, "team/app:1").exitCode()).isNotZero();
    }

    @Test
    @Order(6)
    void catalog_tokenWithCatalogScope_listsRepositories() throws Exception {
        String token = token(app, "alice:secret", "registry:catalog:*");
        HttpResponse<String> r = registryGet("/v2/_catalog", token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("team/app").contains("public/tool");
        String bobToken = token(app, "bob:bobpw", "registry:catalog:*");
        assertThat(registryGet("/v2/_catalog", bobToken).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(7)
    void manifest_tokenWithKidOnly_isAcceptedByRegistry() throws Exception {
        Path main = dir.resolve("main");
        try (Application kidOnly = startApp("kidonly", ", include_x5c: false, certificate: \"" + main.resolve("token.crt")
                + "\", key: \"" + main.resolve("token.key") + "\"", Clock.systemUTC())) {
            String token = token(kidOnly, "bob:bobpw", "repository:team/app:pull");
            assertThat(header(token)).doesNotContainKey("x5c").containsKey("kid");
            assertThat(registryGet("/v2/team/app/manifests/1", token).statusCode()).isEqualTo(200);
        }
        String withChain = token(app, "bob:bobpw", "repository:team/app:pull");
        assertThat(header(withChain)).containsKey("x5c");
        assertThat(registryGet("/v2/team/app/manifests/1", withChain).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void manifest_expiredToken_isRefusedByRegistry() throws Exception {
        Path main = dir.resolve("main");
        Clock pastClock = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
        try (Application past = startApp("past", ", certificate: \"" + main.resolve("token.crt") + "\", key: \""
                + main.resolve("token.key") + "\"", pastClock)) {
            String expired = token(past, "bob:bobpw", "repository:team/app:pull");
            assertThat(registryGet("/v2/team/app/manifests/1", expired).statusCode()).isEqualTo(401);
        }
    }

    private static String token(Application target, String creds, String scope) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + "/auth?service="
                + SERVICE + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)));
        if (!creds.isEmpty()) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("token").asText();
    }

    private static HttpResponse<String> registryGet(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry.host() + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> header(String jwt) throws Exception {
        JsonNode h = JSON.readTree(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))));
        return JSON.convertValue(h, Map.class);
    }
}
