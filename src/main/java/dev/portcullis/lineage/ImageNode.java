package dev.portcullis.lineage;

import dev.portcullis.image.Digest;
import dev.portcullis.image.Platform;
import java.util.List;
import java.util.Map;

/**
 * One platform's image as lineage knows it: its manifest digest, platform, layer digests (bottom first),
 * the manifest's annotations (with those of the indexes naming it, the manifest's own first) and the
 * config's labels and creation time.
 */
record ImageNode(Digest digest, Platform platform, List<Digest> layers, Map<String, String> annotations,
                 Map<String, String> labels, String created) {
    static final String BASE_DIGEST = "org.opencontainers.image.base.digest";
    static final String BASE_NAME = "org.opencontainers.image.base.name";
    static final String SOURCE = "org.opencontainers.image.source";
    static final String REVISION = "org.opencontainers.image.revision";

    ImageNode {
        layers = List.copyOf(layers);
        annotations = Map.copyOf(annotations);
        labels = Map.copyOf(labels);
    }

    /** An annotation, else the label of the same key (builders write either), else empty. */
    String meta(String key) {
        String a = annotations.get(key);
        return a != null ? a : labels.getOrDefault(key, "");
    }
}
