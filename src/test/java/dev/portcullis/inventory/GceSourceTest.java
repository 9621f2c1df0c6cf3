package dev.portcullis.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GCE against a local server answering in the Compute API's JSON ({@code instanceAggregatedList}
 * pages keyed by zone) and an OAuth token endpoint that the service-account key names.
 */
class GceSourceTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    private final List<String> bearers = Collections.synchronizedList(new ArrayList<>());
    private volatile String mode = "ok";
    private volatile int tokens;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", ex -> {
            String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            tokens++;
            send(ex, form.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer") ? 200 : 400,
                    "{\"access_token\":\"ya29.test-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}", null);
        });
        server.createContext("/compute/v1/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        asked.add(ex.getRequestURI().toString());
        bearers.add(ex.getRequestHeaders().getFirst("Authorization"));
        switch (mode) {
            case "throttled" -> send(ex, 429, "{\"error\":{\"code\":429,\"message\":\"Quota exceeded for quota metric 'Read "
                    + "requests'\",\"status\":\"RESOURCE_EXHAUSTED\"}}", "30");
            case "forbidden" -> send(ex, 403, "{\"error\":{\"code\":403,\"message\":\"Required 'compute.instances.list' permission "
                    + "for 'projects/my-project-1'\",\"status\":\"PERMISSION_DENIED\"}}", null);
            case "unreachable" -> send(ex, 200, "{\"kind\":\"compute#instanceAggregatedList\",\"items\":{},"
                    + "\"unreachables\":[\"zones/us-central1-f\"]}", null);
            default -> send(ex, 200, ex.getRequestURI().getQuery().contains("pageToken=") ? page2() : page1(), null);
        }
    }

    private static String page1() {
        return """
                {"kind": "compute#instanceAggregatedList",
                 "id": "projects/my-project-1/aggregated/instances",
                 "items": {
                   "zones/us-central1-a": {"instances": [
                     {"kind": "compute#instance", "name": "gke-prod-pool-1-abcd", "status": "RUNNING",
                      "labels": {"goog-k8s-cluster-name": "prod", "goog-gke-node": ""},
                      "networkInterfaces": [{"name": "nic0", "network": "global/networks/default", "networkIP": "10.128.0.2",
                        "stackType": "IPV4_IPV6", "ipv6Address": "fd20:1:2:3::",
                        "accessConfigs": [{"kind": "compute#accessConfig", "type": "ONE_TO_ONE_NAT", "name": "External NAT",
                          "natIP": "34.66.1.2", "networkTier": "PREMIUM"}],
                        "ipv6AccessConfigs": [{"type": "DIRECT_IPV6", "externalIpv6": "2600:1900:4000:1::", "externalIpv6PrefixLength": 96}]}]},
                     {"kind": "compute#instance", "name": "gke-prod-pool-1-stopped", "status": "TERMINATED",
                      "labels": {"goog-k8s-cluster-name": "prod"},
                      "networkInterfaces": [{"networkIP": "10.128.0.9"}]},
                     {"kind": "compute#instance", "name": "bastion", "status": "RUNNING", "labels": {"role": "bastion"},
                      "networkInterfaces": [{"networkIP": "10.128.0.3"}]}
                   ]},
                   "zones/europe-west1-b": {"warning": {"code": "NO_RESULTS_ON_PAGE",
                     "message": "There are no results for scope 'zones/europe-west1-b' on this page.",
                     "data": [{"key": "scope", "value": "zones/europe-west1-b"}]}}
                 },
                 "nextPageToken": "CkQI-page-2",
                 "selfLink": "https://www.googleapis.com/compute/v1/projects/my-project-1/aggregated/instances"}
                """;
    }

    private static String page2() {
        return """
                {"kind": "compute#instanceAggregatedList",
                 "items": {"zones/us-east1-c": {"instances": [
                   {"name": "gke-prod-pool-2-efgh", "status": "RUNNING", "labels": {"goog-k8s-cluster-name": "prod"},
                    "networkInterfaces": [{"networkIP": "10.142.0.5"}]}]}}}
                """;
    }

    private static void send(HttpExchange ex, int status, String body, String retryAfter) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        if (retryAfter != null) {
            ex.getResponseHeaders().set("Retry-After", retryAfter);
        }
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private GceSource source(Map<String, String> labels, boolean internal, boolean external) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\\n" + Base64.getEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Path key = Files.writeString(dir.resolve("sa.json"), """
                {"type": "service_account", "project_id": "my-project-1", "private_key_id": "k1", "private_key": "%s",
                 "client_email": "inventory@my-project-1.iam.gserviceaccount.com", "client_id": "1234567890",
                 "token_uri": "%s/token"}""".formatted(pem, base));
        return new GceSource(new SourceSettings.Gce(List.of("my-project-1"), Optional.of("status = RUNNING"), labels, internal,
                external, Optional.of(key), URI.create(base + "/compute/v1/")));
    }

    private static List<String> texts(List<Cidr> cidrs) {
        return cidrs.stream().map(Cidr::toString).distinct().sorted().toList();
    }

    @Test
    void fetch_twoPagesOfAClustersNodes_readsTheirAddressesWithTheServiceAccountsToken() throws Exception {
        List<Cidr> got = source(Map.of("goog-k8s-cluster-name", "prod"), true, true).fetch(new Pacer(0)).orElseThrow();
        assertThat(texts(got)).containsExactly("10.128.0.2", "10.142.0.5", "2600:1900:4000:1:0:0:0:0", "34.66.1.2",
                "fd20:1:2:3:0:0:0:0");
        assertThat(asked).hasSize(2);
        assertThat(asked.get(0)).isEqualTo("/compute/v1/projects/my-project-1/aggregated/instances?maxResults=500"
                + "&filter=status+%3D+RUNNING");
        assertThat(asked.get(1)).endsWith("&pageToken=CkQI-page-2");
        assertThat(bearers).containsOnly("Bearer ya29.test-token");
        assertThat(tokens).isEqualTo(1);
    }

    @Test
    void fetch_internalOnlyAndNoLabels_readsEveryRunningInstance() throws Exception {
        assertThat(texts(source(Map.of(), true, false).fetch(new Pacer(0)).orElseThrow()))
                .containsExactly("10.128.0.2", "10.128.0.3", "10.142.0.5", "fd20:1:2:3:0:0:0:0");
    }

    @Test
    void fetch_429_isThrottlingWithTheAskedWait() throws Exception {
        mode = "throttled";
        GceSource s = source(Map.of(), true, false);
        assertThatThrownBy(() -> s.fetch(new Pacer(0))).isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.throttled()).isTrue();
            assertThat(e.retryAfter()).contains(java.time.Duration.ofSeconds(30));
        }).hasMessageContaining("429");
    }

    @Test
    void fetch_forbiddenOrUnreachableZones_failsSayingWhy() throws Exception {
        mode = "forbidden";
        GceSource s = source(Map.of(), true, false);
        assertThatThrownBy(() -> s.fetch(new Pacer(0))).hasMessageContaining("HTTP 403")
                .hasMessageContaining("Required 'compute.instances.list' permission");
        mode = "unreachable";
        assertThatThrownBy(() -> s.fetch(new Pacer(0))).hasMessageContaining("could not reach [\"zones/us-central1-f\"]");
    }

    @Test
    void fetch_tokenEndpointUnavailable_failsAtOnceForTheSetsOwnBackOff() throws Exception {
        GceSource s = source(Map.of(), true, false);
        server.removeContext("/token");
        // A 503 is what the library would retry on its own, for seconds.
        server.createContext("/token", ex -> send(ex, 503, "{\"error\": \"backendError\"}", null));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> s.fetch(new Pacer(0))).hasMessageStartingWith("GCE credentials: ");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(2));
        assertThat(asked).isEmpty();
    }
}
