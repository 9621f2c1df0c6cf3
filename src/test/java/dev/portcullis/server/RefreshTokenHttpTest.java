package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.config.ConfigDocument;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refresh tokens over real HTTP across restarts of {@code serve} with a new configuration: they stop
 * working once the account is gone, its password changed or its refresh tokens were revoked, and a
 * valid account's refreshed tokens follow the ACL and labels in force now.
 */
class RefreshTokenHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
    private static final String ACL = """
            acl:
              - match: {account: bob}
                actions: ["*"]
                comment: bob may do anything
              - match: {name: "${labels:team}/*"}
                actions: [pull]
                comment: team members pull their team's images
            """;

    @TempDir
    Path dir;

    private Application app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** Starts (or stops and starts again) serve on the same data directory: same key, store and admin token. */
    private void serve(String users, String acl) {
        stop();
        app = Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n"
                + users + acl, "auth.yml", Map.of()), Clock.systemUTC());
    }

    private static String users(String aliceHash, String aliceTeam) {
        return """
                users:
                  alice: {password: "%s", labels: {team: [%s]}}
                  bob: {password: "%s"}
                """.formatted(aliceHash, aliceTeam, SECRET);
    }

    private HttpResponse<String> post(String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** docker login's request: the password grant with access_type=offline. */
    private String offlineLogin(String user, String password) throws Exception {
        HttpResponse<String> r = post("grant_type=password&username=" + user + "&password=" + password
                + "&service=registry.local&client_id=docker&access_type=offline");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("refresh_token").asText();
    }

    private HttpResponse<String> refresh(String refreshToken, String scope) throws Exception {
        return post("grant_type=refresh_token&refresh_token=" + refreshToken + "&service=registry.local&client_id=docker"
                + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> revoke(String account, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/accounts/"
                + account + "/revoke-refresh-tokens")).POST(HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String adminToken() throws IOException {
        return Files.readString(app.adminTokenFile().orElseThrow()).strip();
    }

    private static void assertRefused(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_grant");
        assertThat(body.at("/errors/0/code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(body.has("access_token")).isFalse();
    }

    /** The granted actions per repository name of the access token in a 200 answer. */
    private static Map<String, List<Object>> access(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(JSON.readTree(r.body()).get("access_token").asText());
        Map<String, List<Object>> out = new java.util.TreeMap<>();
        for (Object o : jwt.getJWTClaimsSet().getListClaim("access")) {
            Map<?, ?> entry = (Map<?, ?>) o;
            out.put((String) entry.get("name"), List.copyOf((List<?>) entry.get("actions")));
        }
        return out;
    }

    private static String jti(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet().getJWTID();
    }

    /** Every audit record so far, from the JSON-lines files. */
    private List<JsonNode> audit() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        out.add(JSON.readTree(line));
                    }
                }
            }
        }
        return out;
    }

    private List<JsonNode> refreshAudit(String object, String decision) throws IOException {
        return audit().stream().filter(e -> e.get("action").asText().equals("refresh_token")
                && e.get("object").asText().equals(object) && e.get("decision").asText().equals(decision)).toList();
    }

    @Test
    void revoke_accountNameInThePath_isPercentDecodedStrictly() throws Exception {
        serve(users(SECRET, "red"), ACL);
        String admin = adminToken();

        assertThat(JSON.readTree(revoke("team%2Fci", admin).body()).get("account").asText()).isEqualTo("team/ci");
        assertThat(JSON.readTree(revoke("a+b", admin).body()).get("account").asText()).isEqualTo("a+b");
        HttpResponse<String> notUtf8 = revoke("%E9", admin);
        assertThat(notUtf8.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notUtf8.body()).get("error").asText()).isEqualTo("path is not valid UTF-8");
    }

    @Test
    void refresh_accountRemovedFromUsersAtRestart_is401AndAuditedAsGone() throws Exception {
        serve(users(SECRET, "red"), ACL);
        String refresh = offlineLogin("alice", "secret");
        assertThat(access(refresh(refresh, "repository:red/app:pull"))).containsEntry("red/app", List.of("pull"));

        serve("users:\n  bob: {password: \"" + SECRET + "\"}\n", ACL);

        assertRefused(refresh(refresh, "repository:red/app:pull"));
        assertThat(refreshAudit("redeem", "deny")).singleElement().satisfies(e -> {
            assertThat(e.get("subject").asText()).isEqualTo("alice");
            assertThat(e.get("rule").asText()).isEqualTo("account gone from users");
            assertThat(e.get("detail").asText()).contains("jti=" + jti(refresh));
        });
    }

    @Test
    void refresh_passwordChangedAtRestart_is401AndTheNewPasswordLogsIn() throws Exception {
        serve(users(SECRET, "red"), ACL);
        String refresh = offlineLogin("alice", "secret");

        String changed = OpenBSDBCrypt.generate("2y", "changed".toCharArray(), new byte[16], 4);
        serve(users(changed, "red"), ACL);

        assertRefused(refresh(refresh, "repository:red/app:pull"));
        assertThat(refreshAudit("redeem", "deny")).singleElement().satisfies(e -> assertThat(e.get("rule").asText())
                .isEqualTo("credential of the account changed since the refresh token was issued"));
        String fresh = offlineLogin("alice", "changed");
        assertThat(access(refresh(fresh, "repository:red/app:pull"))).containsEntry("red/app", List.of("pull"));
    }

    @Test
    void refresh_afterRevokeEndpoint_is401AndStaysRevokedAfterRestart() throws Exception {
        serve(users(SECRET, "red"), ACL);
        String refresh = offlineLogin("alice", "secret");
        String bobs = offlineLogin("bob", "secret");
        assertThat(revoke("alice", null).statusCode()).isEqualTo(401);
        assertThat(revoke("alice", "not-the-admin-token").statusCode()).isEqualTo(401);
        assertThat(refresh(refresh, "repository:red/app:pull").statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = revoke("alice", adminToken());

        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(JSON.readTree(revoked.body()).get("account").asText()).isEqualTo("alice");
        assertThat(JSON.readTree(revoked.body()).get("epoch").asLong()).isEqualTo(1);
        assertRefused(refresh(refresh, "repository:red/app:pull"));
        assertThat(refresh(bobs, "repository:red/app:pull").statusCode()).isEqualTo(200);
        serve(users(SECRET, "red"), ACL);
        assertRefused(refresh(refresh, "repository:red/app:pull"));
        String fresh = offlineLogin("alice", "secret");
        assertThat(refresh(fresh, "repository:red/app:pull").statusCode()).isEqualTo(200);

        assertThat(audit()).filteredOn(e -> e.get("object").asText().equals("revoke:alice")).singleElement()
                .satisfies(e -> {
                    assertThat(e.get("subject").asText()).isEqualTo("admin");
                    assertThat(e.get("action").asText()).isEqualTo("refresh_token");
                    assertThat(e.get("detail").asText()).isEqualTo("epoch=1");
                });
        assertThat(refreshAudit("redeem", "deny")).hasSize(2).allSatisfy(e -> assertThat(e.get("rule").asText())
                .isEqualTo("refresh tokens of the account revoked (token epoch 0, account epoch 1)"));
    }

    @Test
    void refresh_validAccountAfterRestart_getsScopesByTheAclAndLabelsInForceNow() throws Exception {
        serve(users(SECRET, "red"), ACL);
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                + "/auth?service=registry.local&offline_token=true&client_id=docker&scope=repository:red/app:pull,push"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(
                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(access(login)).containsEntry("red/app", List.of("pull"));
        String refresh = JSON.readTree(login.body()).get("refresh_token").asText();

        serve(users(SECRET, "blue"), """
                acl:
                  - match: {account: alice, name: "blue/*"}
                    actions: [pull, push]
                    comment: alice pushes blue now
                  - match: {name: "${labels:team}/*"}
                    actions: [pull]
                """);

        HttpResponse<String> r = refresh(refresh, "repository:red/app:pull,push repository:blue/app:pull,push");
        assertThat(access(r)).containsEntry("red/app", List.of()).containsEntry("blue/app", List.of("pull", "push"));
        String accessJti = jti(JSON.readTree(r.body()).get("access_token").asText());
        assertThat(audit()).filteredOn(e -> e.get("action").asText().equals("token")
                && e.get("object").asText().startsWith("repository:")).last()
                .satisfies(e -> assertThat(e.get("detail").asText()).endsWith(" jti=" + accessJti));
        assertThat(refreshAudit("redeem", "allow")).singleElement()
                .satisfies(e -> assertThat(e.get("detail").asText()).contains("jti=" + jti(refresh)));
        assertThat(refreshAudit("issue", "allow")).singleElement()
                .satisfies(e -> assertThat(e.get("detail").asText()).contains("jti=" + jti(refresh)));
    }
}
