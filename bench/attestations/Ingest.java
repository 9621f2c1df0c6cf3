import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The attestation load: creates an attestor and a P-256 PKIX key, a policy that requires the attestor,
 * then sends COUNT attestations of distinct digests in batches of 1,000 and, per 10,000, runs
 * the script REPORT with the number stored (it prints the server's memory and disk) after its own line with the ingest rate.
 * "evaluate N" instead times N evaluations of attested digests and prints p50 and p99.
 * Usage: java Ingest.java URL TOKEN ingest COUNT REPORT | java Ingest.java URL TOKEN evaluate N COUNT
 */
public class Ingest {
    static final String ATTESTOR = "bench";
    static HttpClient http = HttpClient.newHttpClient();
    static String url;
    static String token;

    public static void main(String[] args) throws Exception {
        url = args[0];
        token = args[1];
        if (args[2].equals("evaluate")) {
            evaluate(Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        int count = Integer.parseInt(args[3]);
        String report = args[4];
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(kp.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        send("POST", "/api/v1/attestors", "{\"name\": \"" + ATTESTOR + "\", \"note\": \"bench\"}");
        String keyBody = send("POST", "/api/v1/attestor-keys", "{\"attestor\": \"" + ATTESTOR + "\", \"pkixPublicKey\": \""
                + pem.replace("\n", "\\n") + "\", \"signatureAlgorithm\": \"ECDSA_P256_SHA256\"}");
        String keyId = keyBody.replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        send("PUT", "/api/v1/policy", "defaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n"
                + "  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy: [" + ATTESTOR + "]\n");
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        long t0 = System.nanoTime();
        long first = 0;
        for (int done = 0; done < count; ) {
            StringBuilder b = new StringBuilder("{\"occurrences\": [");
            for (int j = 0; j < 1000 && done + j < count; j++) {
                String digest = digest(done + j);
                byte[] payload = ("{\n  \"critical\": {\n    \"identity\": {\n      \"docker-reference\": \"gcr.io/bench/app\"\n    },\n"
                        + "    \"image\": {\n      \"docker-manifest-digest\": \"" + digest + "\"\n    },\n"
                        + "    \"type\": \"Google cloud binauthz container signature\"\n  }\n}\n").getBytes(StandardCharsets.UTF_8);
                s.update(payload);
                if (j > 0) {
                    b.append(',');
                }
                b.append("{\"resourceUri\": \"gcr.io/bench/app@").append(digest).append("\", \"noteName\": \"").append(ATTESTOR)
                        .append("\", \"attestation\": {\"serializedPayload\": \"").append(Base64.getEncoder().encodeToString(payload))
                        .append("\", \"signatures\": [{\"publicKeyId\": \"").append(keyId).append("\", \"signature\": \"")
                        .append(Base64.getEncoder().encodeToString(s.sign())).append("\"}]}}");
            }
            b.append("]}");
            long sent = System.nanoTime();
            send("POST", "/api/v1/attestations/batch", b.toString());
            first += System.nanoTime() - sent;
            done = Math.min(count, done + 1000);
            if (done % 10_000 == 0 || done == count) {
                System.out.printf("at %,d: ingest %,.0f attestations/s (server time of the last 10,000)%n", done,
                        Math.min(10_000, done) / (first / 1e9));
                first = 0;
                System.out.flush();
                new ProcessBuilder("bash", report, String.valueOf(done)).inheritIO().start().waitFor();
            }
        }
        System.out.printf("ingested %,d in %.1f s%n", count, (System.nanoTime() - t0) / 1e9);
    }

    static String digest(int i) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("bench " + i).getBytes()));
    }

    static void evaluate(int n, int count) throws Exception {
        long[] t = new long[n];
        for (int i = -200; i < n; i++) {
            String body = "{\"images\": [\"gcr.io/bench/app@" + digest(Math.floorMod(i * 7919, count)) + "\"]}";
            long a = System.nanoTime();
            String answer = send("POST", "/api/v1/evaluate", body);
            if (!answer.contains("\"allowed\":true")) {
                throw new IllegalStateException("an attested digest was not allowed: " + answer);
            }
            if (i >= 0) {
                t[i] = System.nanoTime() - a;
            }
        }
        Arrays.sort(t);
        System.out.printf("evaluate: p50 %.2f ms, p99 %.2f ms over %,d requests%n", t[n / 2] / 1e6, t[(int) Math.ceil(n * 0.99) - 1] / 1e6, n);
    }

    static String send(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
