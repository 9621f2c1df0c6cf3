package dev.portcullis.lineage;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.image.Digest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A registry answering {@code GET /v2/NAME/manifests/DIGEST} and {@code /blobs/DIGEST} from memory, in
 * the distribution API's shape (the media type in Content-Type), over plain HTTP on 127.0.0.1; the
 * real registry is {@code LineageRegistryIT}'s. A digest can be made to answer 500.
 */
final class TestRegistry implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> content = new ConcurrentHashMap<>();
    private final Map<String, String> types = new ConcurrentHashMap<>();
    final Map<String, Integer> failing = new ConcurrentHashMap<>();

    TestRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", ex -> {
            String path = ex.getRequestURI().getPath();
            String digest = path.substring(path.lastIndexOf('/') + 1);
            byte[] body = content.get(digest);
            int status = failing.getOrDefault(digest, body == null ? 404 : 200);
            if (status == 200) {
                ex.getResponseHeaders().add("Content-Type", types.get(digest));
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } else {
                ex.sendResponseHeaders(status, -1);
            }
            ex.close();
        });
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    Digest put(String mediaType, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(b);
        content.put(d.toString(), b);
        types.put(d.toString(), mediaType);
        return d;
    }

    /** An OCI image on {@code platform} ("amd64"), its config served too, with these layer names and manifest annotations. */
    Digest image(String arch, List<String> layers, Map<String, String> annotations) {
        Digest config = put("application/vnd.oci.image.config.v1+json", """
                {"architecture": "%s", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []},
                 "config": {"Labels": {"org.opencontainers.image.vendor": "team-x"}}}""".formatted(arch));
        return imageWithConfig(config, layers, annotations);
    }

    Digest imageWithConfig(Digest config, List<String> layers, Map<String, String> annotations) {
        String ls = layers.stream().map(l -> "{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\", \"size\": 1, \"digest\": \""
                + Digest.sha256(l.getBytes(StandardCharsets.UTF_8)) + "\"}").collect(Collectors.joining(","));
        String as = annotations.entrySet().stream().map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                .collect(Collectors.joining(","));
        return put("application/vnd.oci.image.manifest.v1+json", """
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 1, "digest": "%s"},
                 "layers": [%s], "annotations": {%s}}""".formatted(config, ls, as));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
