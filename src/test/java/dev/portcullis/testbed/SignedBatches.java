package dev.portcullis.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.attest.SignaturePayload;
import dev.portcullis.image.Digest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Bodies of {@code POST /api/v1/attestations/batch}: distinct images {@code gcr.io/p/app@digest(i)}, signed with a P-256 key. */
public final class SignedBatches {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SignedBatches() {}

    /** The digest of the i-th image. */
    public static Digest digest(int i) {
        return Digest.sha256(("image " + i).getBytes(StandardCharsets.UTF_8));
    }

    /** A new P-256 key pair. */
    public static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** Images {@code from} to {@code from + count - 1}, each attested by {@code attestor} with the key {@code keyId}. */
    public static String batch(String attestor, KeyPair kp, String keyId, int from, int count)
            throws GeneralSecurityException, JsonProcessingException {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        List<Map<String, Object>> occurrences = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", digest(i));
            s.update(payload);
            occurrences.add(Map.of("resourceUri", "gcr.io/p/app@" + digest(i), "noteName", attestor, "attestation", Map.of(
                    "serializedPayload", Base64.getEncoder().encodeToString(payload),
                    "signatures", List.of(Map.of("publicKeyId", keyId, "signature", Base64.getEncoder().encodeToString(s.sign()))))));
        }
        return JSON.writeValueAsString(Map.of("occurrences", occurrences));
    }

    /** An attestation of {@code gcr.io/p/<image>@digest}, signed with the P-256 key {@code keyId}. */
    public static dev.portcullis.attest.Occurrence occurrence(String attestor, KeyPair kp, String keyId, String image, Digest d)
            throws GeneralSecurityException {
        byte[] payload = SignaturePayload.forArtifact("gcr.io/p/" + image, d);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(payload);
        return new dev.portcullis.attest.Occurrence("gcr.io/p/" + image + "@" + d, attestor, payload,
                List.of(new dev.portcullis.attest.Occurrence.Signature(keyId, s.sign())), null);
    }
}
