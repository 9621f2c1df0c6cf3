import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A synthetic registry for lineage: 50 bases (1-5 layers), COUNT images each built on a base or on an
 * image built on one (depth up to 4, 5-30 layers), one in ten pushed as a two-platform index. It serves
 * the manifests and configs on 127.0.0.1:PORT, sends `serve` the push notifications in envelopes of
 * 100 (timing the ingest), then times `GET /lineage/v1/affected` for the most used base.
 * Usage: java Synthetic.java PORT SERVE_URL EVENTS_SECRET ADMIN_TOKEN COUNT
 */
public class Synthetic {
    static final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    static final Map<String, String> types = new ConcurrentHashMap<>();
    static final String OCI = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";

    record Image(int id, String[] layers, int depth) {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String serve = args[1];
        String secret = args[2];
        String admin = args[3];
        int count = Integer.parseInt(args[4]);
        HttpServer registry = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        registry.createContext("/v2/", ex -> {
            String p = ex.getRequestURI().getPath();
            byte[] b = blobs.get(p.substring(p.lastIndexOf('/') + 1));
            if (b == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.getResponseHeaders().add("Content-Type", types.get(p.substring(p.lastIndexOf('/') + 1)));
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        registry.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        registry.start();
        String host = "127.0.0.1:" + port;
        Random random = new Random(42);
        List<Image> images = new ArrayList<>();
        List<String> events = new ArrayList<>();
        int layer = 0;
        for (int i = 0; i < count; i++) {
            String[] layers;
            int depth;
            if (i < 50) {
                layers = new String[1 + random.nextInt(5)];
                depth = 0;
            } else {
                Image parent;
                if (random.nextBoolean()) {
                    int base = (int) (50 * Math.pow(random.nextDouble(), 3));   // a few bases are used by most
                    parent = images.get(base);
                } else {
                    do {
                        parent = images.get(random.nextInt(images.size()));
                    } while (parent.depth() >= 4 || parent.layers().length > 25);
                }
                layers = Arrays.copyOf(parent.layers(), Math.min(30, Math.max(5, parent.layers().length + 1 + random.nextInt(5))));
                depth = parent.depth() + 1;
            }
            for (int l = 0; l < layers.length; l++) {
                if (layers[l] == null) {
                    layers[l] = sha256(("layer-" + layer++).getBytes(StandardCharsets.UTF_8));
                }
            }
            Image img = new Image(i, layers, depth);
            images.add(img);
            String amd = manifest(layers, "amd64");
            if (i >= 50 && i % 10 == 0) {
                String arm = manifest(layers, "arm64");
                String index = put(INDEX, "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":["
                        + child(amd, "amd64") + "," + child(arm, "arm64") + "]}");
                events.add(event(i + "-a", host, i, "", amd, OCI));
                events.add(event(i + "-b", host, i, "", arm, OCI));
                events.add(event(i + "-i", host, i, "1", index, INDEX));
            } else {
                events.add(event(i + "", host, i, "1", amd, OCI));
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        long start = System.nanoTime();
        for (int from = 0; from < events.size(); from += 100) {
            String body = "{\"events\":[" + String.join(",", events.subList(from, Math.min(events.size(), from + 100))) + "]}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(serve + "/registry/events"))
                    .header("Authorization", "Bearer " + secret).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("\"skipped\":[]")) {
                throw new IllegalStateException("events answered " + r.statusCode() + ": " + r.body());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("ingest: %d images, %d events in %.1f s: %.0f events/s%n", count, events.size(), seconds, events.size() / seconds);
        String base = URLEncoder.encode(host + "/bench/img-0:1", StandardCharsets.UTF_8);
        long[] t = new long[201];
        int affected = 0;
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(serve + "/lineage/v1/affected?base=" + base))
                    .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
            t[i] = System.nanoTime() - s;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("affected answered " + r.statusCode() + ": " + r.body());
            }
            affected = r.body().split("\"manifest\"", -1).length - 1;
        }
        long first = t[0];
        long[] measured = Arrays.copyOfRange(t, 1, t.length);
        Arrays.sort(measured);
        System.out.printf("affected (most used base, %d rows over HTTP): first %.1f ms, p50 %.2f ms, p99 %.2f ms%n", affected, first / 1e6,
                measured[measured.length / 2] / 1e6, measured[(int) (measured.length * 0.99)] / 1e6);
        registry.stop(0);
        System.exit(0);
    }

    static String manifest(String[] layers, String arch) {
        String config = put("application/vnd.oci.image.config.v1+json", "{\"architecture\":\"" + arch
                + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        StringBuilder ls = new StringBuilder();
        for (String l : layers) {
            ls.append(ls.isEmpty() ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"size\":1,\"digest\":\"")
                    .append(l).append("\"}");
        }
        return put(OCI, "{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"size\":1,\"digest\":\"" + config + "\"},\"layers\":[" + ls + "]}");
    }

    static String child(String digest, String arch) {
        return "{\"mediaType\":\"" + OCI + "\",\"size\":1,\"digest\":\"" + digest + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\""
                + arch + "\"}}";
    }

    static String event(String id, String host, int image, String tag, String digest, String type) {
        return "{\"id\":\"bench-" + id + "\",\"timestamp\":\"2026-12-01T00:00:00Z\",\"action\":\"push\",\"target\":{\"mediaType\":\""
                + type + "\",\"digest\":\"" + digest + "\",\"repository\":\"bench/img-" + image + "\",\"url\":\"http://" + host
                + "/v2/bench/img-" + image + "/manifests/" + digest + "\",\"tag\":\"" + tag + "\"},\"request\":{\"host\":\"" + host + "\"}}";
    }

    static String put(String type, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        String d = sha256(b);
        blobs.put(d, b);
        types.put(d, type);
        return d;
    }

    static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
