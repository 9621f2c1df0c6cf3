package dev.portcullis.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** Builds small OCI images without a Docker daemon (umoci), as TESTBED.md describes. */
public final class Images {
    private Images() {}

    /** An OCI layout at {@code dir/oci} holding {@code base}: busybox in one layer. Returns the layout ref. */
    public static String busyboxLayout(Path dir) {
        Processes.ok(dir, "umoci", "init", "--layout", "oci");
        Processes.ok(dir, "umoci", "new", "--image", "oci:base");
        Processes.ok(dir, "umoci", "unpack", "--rootless", "--image", "oci:base", "b");
        Processes.ok(dir, "mkdir", "-p", "b/rootfs/bin");
        Processes.ok(dir, "cp", "/bin/busybox", "b/rootfs/bin/");
        Processes.ok(dir, "umoci", "repack", "--image", "oci:base", "b");
        Processes.ok(dir, "umoci", "config", "--image", "oci:base", "--config.entrypoint", "/bin/busybox");
        return "oci:" + dir.resolve("oci") + ":base";
    }

    /**
     * Tags {@code from} as {@code to} in the layout at {@code dir/oci} and adds a layer holding the file
     * {@code file}: an image built on {@code from}, whose layers start with its layers.
     */
    public static void derive(Path dir, String from, String to, String file) {
        Processes.ok(dir, "umoci", "tag", "--image", "oci:" + from, to);
        Path bundle = dir.resolve("bundle-" + to);
        Processes.ok(dir, "umoci", "unpack", "--rootless", "--image", "oci:" + to, bundle.toString());
        try {
            Files.writeString(bundle.resolve("rootfs").resolve(file), to + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Processes.ok(dir, "umoci", "repack", "--image", "oci:" + to, bundle.toString());
    }

    /**
     * Adds to the layout at {@code dir/oci} an OCI index tagged {@code tag} of the images tagged
     * {@code tags} (each with its config's platform), as a multi-platform build writes one.
     */
    public static void index(Path dir, String tag, List<String> tags) {
        ObjectMapper json = new ObjectMapper();
        try {
            Path layout = dir.resolve("oci");
            ObjectNode top = (ObjectNode) json.readTree(layout.resolve("index.json").toFile());
            ObjectNode index = json.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", "application/vnd.oci.image.index.v1+json");
            ArrayNode children = index.putArray("manifests");
            for (String t : tags) {
                JsonNode d = descriptor(top, t);
                JsonNode manifest = json.readTree(blob(layout, d.get("digest").asText()));
                JsonNode config = json.readTree(blob(layout, manifest.get("config").get("digest").asText()));
                ObjectNode c = children.addObject();
                c.put("mediaType", d.get("mediaType").asText());
                c.put("digest", d.get("digest").asText());
                c.put("size", d.get("size").asLong());
                c.putObject("platform").put("os", config.get("os").asText()).put("architecture", config.get("architecture").asText());
            }
            byte[] bytes = json.writeValueAsBytes(index);
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            Files.write(layout.resolve("blobs/sha256/" + hex), bytes);
            ObjectNode entry = ((ArrayNode) top.get("manifests")).addObject();
            entry.put("mediaType", "application/vnd.oci.image.index.v1+json");
            entry.put("digest", "sha256:" + hex);
            entry.put("size", bytes.length);
            entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
            Files.writeString(layout.resolve("index.json"), json.writeValueAsString(top), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode descriptor(JsonNode top, String tag) {
        for (JsonNode m : top.get("manifests")) {
            if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                return m;
            }
        }
        throw new IllegalArgumentException("no tag " + tag + " in the layout");
    }

    private static byte[] blob(Path layout, String digest) throws IOException {
        return Files.readAllBytes(layout.resolve("blobs/sha256/" + digest.substring("sha256:".length())));
    }
}
