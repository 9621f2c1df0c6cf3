package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /auth} against inputs an attacker crafts: timing probes, malleated refresh tokens, raw bytes. */
class TokenEndpointAbuseHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final BigInteger P256_N = ECNamedCurveTable.getByName("secp256r1").getN();

    @TempDir
    static Path dir;

    private static Application app;

    @BeforeAll
    static void start() {
        // Cost 10, as a real deployment would use: a bcrypt run is then tens of milliseconds, far above
        // the cost of answering a request. The failure limit is out of the way of the timing probe.
        String hash = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 10);
        String yaml = """
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                users:
                  alice: {password: "%s"}
                login: {max_failures: 1000000}
                """.formatted(dir, hash);
        app = Application.start(ConfigDocument.parse(yaml, "auth.yml", Map.of()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> postForm(String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/auth"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String passwordForm(String user, String password) {
        return "grant_type=password&service=registry.local&client_id=probe&username=" + user + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
    }

    @Test
    void post_passwordOf80Utf8Bytes_knownAndUnknownAccountAnswerInTheSameTime() throws Exception {
        String password = "é".repeat(40);   // 40 characters, 80 bytes: over bcrypt's 72
        for (int i = 0; i < 10; i++) {      // warm up both paths
            assertThat(postForm(passwordForm("alice", password)).statusCode()).isEqualTo(401);
            assertThat(postForm(passwordForm("nobody", password)).statusCode()).isEqualTo(401);
        }
        int tries = 41;
        long[] known = new long[tries];
        long[] unknown = new long[tries];
        for (int i = 0; i < tries; i++) {   // interleaved, so a burst of load hits both alike
            known[i] = timed(passwordForm("alice", password));
            unknown[i] = timed(passwordForm("nobody", password));
        }
        double ratio = (double) median(unknown) / median(known);
        assertThat(ratio).as("median unknown %d ns / known %d ns", median(unknown), median(known)).isBetween(1 / 3.0, 3.0);
    }

    private static long timed(String form) throws Exception {
        long t0 = System.nanoTime();
        assertThat(postForm(form).statusCode()).isEqualTo(401);
        return System.nanoTime() - t0;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Test
    void post_refreshTokenWithHighS_isRefusedWhileTheLowSOriginalWorks() throws Exception {
        HttpResponse<String> login = postForm("grant_type=password&username=alice&password=secret&service=registry.local"
                + "&client_id=c&access_type=offline");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String refresh = JSON.readTree(login.body()).get("refresh_token").asText();
        String[] parts = refresh.split("\\.");
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        assertThat(sig).hasSize(64);
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        assertThat(s).as("our own signatures are low-S").isLessThanOrEqualTo(P256_N.shiftRight(1));
        // (r, n - s) is the same signature's twin: valid ECDSA, another token string.
        byte[] twin = sig.clone();
        byte[] highS = P256_N.subtract(s).toByteArray();
        byte[] padded = new byte[32];
        System.arraycopy(highS, Math.max(0, highS.length - 32), padded, Math.max(0, 32 - highS.length), Math.min(32, highS.length));
        System.arraycopy(padded, 0, twin, 32, 32);
        String malleated = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(twin);

        HttpResponse<String> refused = postForm("grant_type=refresh_token&service=registry.local&client_id=c&refresh_token="
                + malleated);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(postForm("grant_type=refresh_token&service=registry.local&client_id=c&refresh_token=" + refresh)
                .statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"username=\\xFF", "username=%FF", "username=alice&password=\\xC3\\x28", "username=al\\xC3\\xA9"})
    void post_formWithNonUtf8OrRawNonAsciiBytes_is400WithRegistryErrorBody(String field) throws Exception {
        byte[] body = bytes("grant_type=password&client_id=c&service=registry.local&" + field);
        RawResponse r = rawPost(body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode json = JSON.readTree(r.body());
        assertThat(json.at("/errors/0/code").asText()).isEqualTo("UNSUPPORTED");
        assertThat(json.at("/errors/0/message").asText()).isNotEmpty();
        assertThat(json.get("error").asText()).isEqualTo("invalid_request");
    }

    // "\xFF" in the test source stands for the raw byte 0xFF.
    private static byte[] bytes(String escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); i++) {
            if (escaped.startsWith("\\x", i)) {
                out.write(Integer.parseInt(escaped.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.write(escaped.charAt(i));
            }
        }
        return out.toByteArray();
    }

    private record RawResponse(int status, String body) {}

    private static RawResponse rawPost(byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /auth HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            // Read the head, then exactly Content-Length bytes: the answer does not depend on the server closing.
            java.io.InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.write(c);
            }
            String h = head.toString(StandardCharsets.US_ASCII);
            int status = Integer.parseInt(h.substring(9, 12));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
            byte[] content = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : new byte[0];
            return new RawResponse(status, new String(content, StandardCharsets.UTF_8));
        }
    }
}
