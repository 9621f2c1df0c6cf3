package dev.portcullis.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.StrictJson;
import dev.portcullis.image.Digest;
import dev.portcullis.image.InvalidReferenceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The simple-signing payload that {@code gcloud container binauthz create-signature-payload}, skopeo
 * and cosign sign: {@code critical.identity.docker-reference}, {@code critical.image.docker-manifest-digest},
 * {@code critical.type}, and a free {@code optional} map. Signatures cover the exact bytes, so
 * verification always works on the bytes as received, never a re-encoding.
 */
public record SignaturePayload(String dockerReference, Digest manifestDigest, String type, Map<String, Object> optional) {
    public static final String BINAUTHZ_TYPE = "Google cloud binauthz container signature";
    public static final Set<String> TYPES = Set.of(BINAUTHZ_TYPE, "atomic container signature",
            "cosign container image signature");
    private static final ObjectMapper JSON = StrictJson.mapper();
    private static final int MAX_BYTES = 64 * 1024;

    public SignaturePayload {
        if (dockerReference == null || dockerReference.isBlank()) {
            throw new AttestationRejectedException(Reason.MALFORMED_PAYLOAD, "payload has no critical.identity.docker-reference");
        }
        if (!TYPES.contains(type)) {
            throw new AttestationRejectedException(Reason.MALFORMED_PAYLOAD, "payload critical.type '" + type
                    + "' is not one of " + TYPES);
        }
        optional = optional == null ? Map.of() : Map.copyOf(optional);
    }

    /** Reads a payload; anything but the simple-signing shape is {@link Reason#MALFORMED_PAYLOAD}. */
    public static SignaturePayload parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new AttestationRejectedException(Reason.MALFORMED_PAYLOAD, "payload larger than 64 KiB");
        }
        JsonNode root;
        try {
            // Strict: a payload with a key twice would vouch for one digest here and another elsewhere.
            root = StrictJson.read(bytes);
        } catch (StrictJson.InvalidJsonException e) {
            throw new AttestationRejectedException(Reason.MALFORMED_PAYLOAD, "payload is not one JSON object: " + e.getMessage());
        }
        if (!root.isObject() || !root.path("critical").isObject()) {
            throw new AttestationRejectedException(Reason.MALFORMED_PAYLOAD, "payload has no critical section");
        }
        JsonNode c = root.get("critical");
        String digest = c.path("image").path("docker-manifest-digest").asText("");
        Digest d;
        try {
            d = Digest.parse(digest);
        } catch (InvalidReferenceException e) {
            throw new AttestationRejectedException(Reason.MALFORMED_PAYLOAD, "payload critical.image.docker-manifest-digest: "
                    + e.getMessage());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> optional = root.path("optional").isObject() ? JSON.convertValue(root.get("optional"), Map.class) : Map.of();
        return new SignaturePayload(c.path("identity").path("docker-reference").asText(""), d, c.path("type").asText(""),
                optional);
    }

    /** The payload gcloud prints for an artifact, byte for byte: two-space indentation, no optional section. */
    public static byte[] forArtifact(String repository, Digest digest) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", repository);
        critical.putObject("image").put("docker-manifest-digest", digest.toString());
        critical.put("type", BINAUTHZ_TYPE);
        try {
            // gcloud prints Python's json.dumps(indent=2): "key": value, two-space indentation.
            var printer = new com.fasterxml.jackson.core.util.DefaultPrettyPrinter().withSeparators(
                    com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));
            return (JSON.writer(printer).writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the payload", e);
        }
    }
}
