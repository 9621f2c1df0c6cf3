import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

/**
 * How long a change made through one replica's admin API takes to be in force on another: replaces the
 * policy on A, then reads B's policy every millisecond until it is the new one. Prints p50, p99 and the
 * maximum, from A's answer and from the request to A.
 * Usage: java Propagation.java URL_A URL_B ADMIN_TOKEN CHANGES
 */
public class Propagation {
    public static void main(String[] args) throws Exception {
        String a = args[0];
        String b = args[1];
        String token = args[2];
        int n = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newHttpClient();
        long[] fromAnswer = new long[n];
        long[] fromRequest = new long[n];
        for (int i = -20; i < n; i++) {   // the first 20 warm both JVMs and are not counted
            String yaml = "# change " + i + " " + System.nanoTime() + "\ndefaultAdmissionRule: {evaluationMode: "
                    + (i % 2 == 0 ? "ALWAYS_ALLOW" : "ALWAYS_DENY") + ", enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n";
            long sent = System.nanoTime();
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(a + "/api/v1/policy"))
                    .header("Authorization", "Bearer " + token).PUT(HttpRequest.BodyPublishers.ofString(yaml)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (put.statusCode() != 200) {
                throw new IllegalStateException("PUT answered " + put.statusCode() + ": " + put.body());
            }
            HttpRequest get = HttpRequest.newBuilder(URI.create(b + "/api/v1/policy")).header("Authorization", "Bearer " + token).build();
            while (!http.send(get, HttpResponse.BodyHandlers.ofString()).body().equals(yaml)) {
                if (System.nanoTime() - answered > 10_000_000_000L) {
                    throw new IllegalStateException("change " + i + " did not reach B within 10 s");
                }
                Thread.sleep(1);
            }
            long seen = System.nanoTime();
            if (i >= 0) {
                fromAnswer[i] = seen - answered;
                fromRequest[i] = seen - sent;
            }
        }
        report("from A's answer to B in force", fromAnswer);
        report("from the request to A to B in force", fromRequest);
    }

    private static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d changes)%n", what, s[s.length / 2] / 1e6,
                s[(int) Math.ceil(s.length * 0.99) - 1] / 1e6, s[s.length - 1] / 1e6, s.length);
    }
}
