package dev.portcullis.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What lineage reads of an image's config blob: platform, {@code rootfs.diff_ids}, labels and creation time. */
public record ImageConfig(Platform platform, List<Digest> diffIds, Map<String, String> labels, String created) {
    public ImageConfig {
        diffIds = List.copyOf(diffIds);
        labels = Map.copyOf(labels);
        created = created == null ? "" : created;
    }

    /** Reads a config blob; one without an os and architecture, or with a bad diff id, is refused saying so. */
    public static ImageConfig parse(byte[] body) {
        JsonNode c;
        try {
            c = StrictJson.read(body);
        } catch (StrictJson.InvalidJsonException e) {
            throw new RegistryException("the image config is not JSON: " + e.getMessage());
        }
        Platform platform;
        try {
            platform = new Platform(c.path("os").asText(""), c.path("architecture").asText(""), c.path("variant").asText(""));
        } catch (InvalidReferenceException e) {
            throw new RegistryException("the image config names no valid platform: " + e.getMessage());
        }
        List<Digest> diffIds = new ArrayList<>();
        for (JsonNode d : c.path("rootfs").path("diff_ids")) {
            try {
                diffIds.add(Digest.parse(d.textValue()));
            } catch (InvalidReferenceException e) {
                throw new RegistryException("the image config has a bad rootfs.diff_ids entry: " + e.getMessage());
            }
        }
        return new ImageConfig(platform, diffIds, Manifest.strings(c.path("config").path("Labels"), "the image config"),
                c.path("created").asText(""));
    }
}
