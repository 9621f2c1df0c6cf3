package dev.portcullis.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.StrictJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest read from a registry: an image (Docker schema 2, OCI image manifest) with its config and
 * layers, or an index (OCI index, Docker manifest list) of per-platform images. Anything else (schema
 * 1, an artifact manifest, malformed JSON) is a {@link RegistryException} naming what it is.
 */
public sealed interface Manifest {
    String DOCKER_V2 = "application/vnd.docker.distribution.manifest.v2+json";
    String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    /** The manifest's own digest. */
    Digest digest();

    /** Its media type, one of the four above. */
    String mediaType();

    /** The manifest's annotations ({@code org.opencontainers.image.base.digest}, say); empty when none. */
    Map<String, String> annotations();

    /** One platform's image: its config blob and layer digests, in order from the bottom. */
    record Image(Digest digest, String mediaType, Digest config, List<Digest> layers, Map<String, String> annotations)
            implements Manifest {
        public Image {
            layers = List.copyOf(layers);
            annotations = Map.copyOf(annotations);
        }
    }

    /** An index of images, each for a platform (children without one, attestations say, are left out). */
    record Index(Digest digest, String mediaType, List<Child> children, Map<String, String> annotations) implements Manifest {
        public Index {
            children = List.copyOf(children);
            annotations = Map.copyOf(annotations);
        }
    }

    /** One image an index names, for its platform. */
    record Child(Digest digest, String mediaType, Platform platform) {}

    /**
     * Reads a manifest's bytes; {@code contentType} (the registry's header) is used when the manifest
     * names no media type itself, as older OCI manifests do.
     */
    static Manifest parse(Digest digest, String contentType, byte[] body) {
        JsonNode m;
        try {
            m = StrictJson.read(body);
        } catch (StrictJson.InvalidJsonException e) {
            throw new RegistryException("manifest " + digest + " is not JSON: " + e.getMessage());
        }
        if (!m.isObject()) {
            throw new RegistryException("manifest " + digest + " is not a JSON object");
        }
        String type = m.path("mediaType").asText("");
        if (type.isEmpty()) {
            type = contentType.split(";")[0].strip();
        }
        if (type.isEmpty() && m.has("manifests")) {
            type = OCI_INDEX;
        } else if (type.isEmpty() && m.has("layers")) {
            type = OCI_MANIFEST;
        }
        Map<String, String> annotations = strings(m.path("annotations"), digest);
        return switch (type) {
            case DOCKER_V2, OCI_MANIFEST -> {
                List<Digest> layers = new ArrayList<>();
                if (!m.path("layers").isArray()) {
                    throw new RegistryException("manifest " + digest + " has no layers list");
                }
                for (JsonNode l : m.path("layers")) {
                    layers.add(digestOf(l, digest, "a layer"));
                }
                yield new Image(digest, type, digestOf(m.path("config"), digest, "the config"), layers, annotations);
            }
            case DOCKER_LIST, OCI_INDEX -> {
                if (!m.path("manifests").isArray()) {
                    throw new RegistryException("index " + digest + " has no manifests list");
                }
                List<Child> children = new ArrayList<>();
                for (JsonNode c : m.path("manifests")) {
                    JsonNode p = c.path("platform");
                    // Attestation manifests (platform unknown/unknown) and platform-less entries are not images to run.
                    if (!p.isObject() || p.path("os").asText("unknown").equals("unknown")) {
                        continue;
                    }
                    try {
                        children.add(new Child(digestOf(c, digest, "a child"), c.path("mediaType").asText(""),
                                new Platform(p.path("os").asText(""), p.path("architecture").asText(""), p.path("variant").asText(""))));
                    } catch (InvalidReferenceException e) {
                        throw new RegistryException("index " + digest + " names a child with a bad platform: " + e.getMessage());
                    }
                }
                yield new Index(digest, type, children, annotations);
            }
            case "application/vnd.docker.distribution.manifest.v1+json", "application/vnd.docker.distribution.manifest.v1+prettyjws" ->
                    throw new RegistryException("manifest " + digest + " is Docker schema 1, which names no layer digests to compare");
            default -> throw new RegistryException("manifest " + digest + " has media type '" + Digest.printable(type)
                    + "', not an image manifest or index");
        };
    }

    private static Digest digestOf(JsonNode descriptor, Digest of, String what) {
        try {
            return Digest.parse(descriptor.path("digest").textValue());
        } catch (InvalidReferenceException e) {
            throw new RegistryException("manifest " + of + ": " + what + " has no valid digest (" + e.getMessage() + ")");
        }
    }

    /** A JSON object of strings as a map; anything else in it is refused, naming the manifest. */
    static Map<String, String> strings(JsonNode o, Object of) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o.isMissingNode() || o.isNull()) {
            return out;
        }
        if (!o.isObject()) {
            throw new RegistryException(of + ": annotations and labels are an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }
}
