package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.attest.AttestationStore;
import dev.portcullis.attest.Ingested;
import dev.portcullis.attest.Occurrence;
import dev.portcullis.attest.PkixAlgorithm;
import dev.portcullis.attest.VerifiedAttestation;
import dev.portcullis.config.Secret;
import dev.portcullis.policy.EvaluationContext;
import dev.portcullis.policy.ImageVerdict;
import dev.portcullis.policy.PolicyDecision;
import dev.portcullis.policy.PolicyService;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1}: attestors, keys, attestations, the policy and evaluation, behind the admin Bearer token. */
final class PolicyApiRoutes implements HttpService {
    private final java.util.function.Supplier<AttestationStore> attestationStore;
    private final java.util.function.Supplier<PolicyService> policyService;
    private final Secret adminToken;

    /** The stores are looked up per request: the listener starts while they are still being opened. */
    PolicyApiRoutes(java.util.function.Supplier<AttestationStore> attestations, java.util.function.Supplier<PolicyService> policy,
                    Secret adminToken) {
        this.attestationStore = attestations;
        this.policyService = policy;
        this.adminToken = adminToken;
    }

    @Override
    public void routing(HttpRules r) {
        java.util.function.Supplier<AttestationStore> attestationsRef = attestationStore;
        java.util.function.Supplier<PolicyService> policyRef = policyService;
        r.post("/api/v1/attestors", guarded((req, res) -> {
            JsonNode b = RequestBody.jsonObject(req);
            attestationsRef.get().addAttestor(text(b, "name"), b.path("note").asText(""));
            JsonAnswer.send(res, Status.CREATED_201, Map.of("name", text(b, "name")));
        }));
        r.post("/api/v1/attestor-keys", guarded((req, res) -> {
            JsonNode b = RequestBody.jsonObject(req);
            String id;
            if (b.hasNonNull("pgpPublicKey")) {
                id = attestationsRef.get().addKey(text(b, "attestor"), text(b, "pgpPublicKey"), Optional.empty(), Optional.empty());
            } else {
                id = attestationsRef.get().addKey(text(b, "attestor"), text(b, "pkixPublicKey"),
                        Optional.of(PkixAlgorithm.parse(text(b, "signatureAlgorithm"))), Optional.ofNullable(b.path("id").textValue()));
            }
            JsonAnswer.send(res, Status.CREATED_201, Map.of("id", id));
        }));
        r.post("/api/v1/attestor-keys/revoke", guarded((req, res) -> {
            JsonNode b = RequestBody.jsonObject(req);
            attestationsRef.get().revokeKey(text(b, "attestor"), text(b, "id"));
            JsonAnswer.send(res, Status.OK_200, Map.of("revoked", text(b, "id")));
        }));
        r.post("/api/v1/attestations", guarded((req, res) -> {
            // Submitting a stored attestation again is answered 200 with the stored one: nothing new is kept.
            Ingested i = attestationsRef.get().ingest(occurrence(RequestBody.jsonObject(req)));
            JsonAnswer.send(res, i.created() ? Status.CREATED_201 : Status.OK_200, ingestedJson(i));
        }));
        // Grafeas's occurrences:batchCreate, as a path: {"occurrences": [...]}, all stored or none.
        r.post("/api/v1/attestations/batch", guarded((req, res) -> {
            JsonNode list = RequestBody.jsonObject(req).path("occurrences");
            if (!list.isArray()) {
                throw new BadInput("field 'occurrences' must be an array of attestations");
            }
            List<Occurrence> occurrences = new ArrayList<>(list.size());
            list.forEach(o -> occurrences.add(occurrence(o)));
            List<Ingested> done = attestationsRef.get().ingestAll(occurrences);
            JsonAnswer.send(res, done.stream().anyMatch(Ingested::created) ? Status.CREATED_201 : Status.OK_200,
                    Map.of("occurrences", done.stream().map(PolicyApiRoutes::ingestedJson).toList()));
        }));
        r.get("/api/v1/policy", guarded((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/yaml");
            res.send(policyRef.get().policies().yaml());
        }));
        r.put("/api/v1/policy", guarded((req, res) -> {
            policyRef.get().policies().replace(new String(RequestBody.bytes(req), StandardCharsets.UTF_8));
            JsonAnswer.send(res, Status.OK_200, Map.of("status", "policy replaced"));
        }));
        r.post("/api/v1/evaluate", guarded((req, res) -> {
            JsonNode b = RequestBody.jsonObject(req);
            List<String> images = new ArrayList<>();
            b.path("images").forEach(i -> images.add(i.asText()));
            EvaluationContext ctx = new EvaluationContext(opt(b, "cluster"), opt(b, "namespace"), opt(b, "serviceAccount"),
                    opt(b, "spiffeId"));
            JsonAnswer.send(res, Status.OK_200, decisionJson(policyRef.get().evaluate(images, ctx, "api")));
        }));
    }

    // Only the credential: failures are answered by the routing's error handlers (ErrorAnswers).
    private Handler guarded(Handler h) {
        return (req, res) -> {
            if (AdminBearer.admits(req, res, adminToken)) {
                h.handle(req, res);
            }
        };
    }

    private static Map<String, Object> ingestedJson(Ingested i) {
        VerifiedAttestation v = i.attestation();
        return Map.of("attestor", v.attestor(), "publicKeyId", v.keyId(), "resourceUri", v.artifact().toString(),
                "createTime", v.createdAt().toString(), "existing", !i.created());
    }

    private static Map<String, Object> decisionJson(PolicyDecision d) {
        List<Map<String, Object>> images = new ArrayList<>();
        for (ImageVerdict v : d.images()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image", v.image());
            m.put("rule", v.rule());
            m.put("attestors", v.attestors());
            switch (v) {
                case ImageVerdict.Allowed a -> {
                    m.put("allowed", true);
                    m.put("why", a.why());
                }
                case ImageVerdict.Denied x -> {
                    m.put("allowed", false);
                    m.put("reason", x.code().name());
                    m.put("message", x.message());
                    m.put("hint", x.hint());
                }
            }
            images.add(m);
        }
        return Map.of("allowed", d.allowed(), "dryRun", d.dryRun(), "images", images);
    }

    private static Occurrence occurrence(JsonNode b) {
        JsonNode a = b.path("attestation");
        List<Occurrence.Signature> sigs = new ArrayList<>();
        a.path("signatures").forEach(s -> sigs.add(new Occurrence.Signature(text(s, "publicKeyId"), base64(text(s, "signature")))));
        byte[] pgp = a.path("pgpSignedAttestation").hasNonNull("signature")
                ? a.path("pgpSignedAttestation").get("signature").asText().getBytes(StandardCharsets.UTF_8) : null;
        byte[] payload = a.hasNonNull("serializedPayload") ? base64(a.get("serializedPayload").asText()) : null;
        return new Occurrence(text(b, "resourceUri"), text(b, "noteName"), payload, sigs, pgp);
    }

    private static byte[] base64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new BadInput("a signature or payload is not valid base64");
        }
    }

    private static Optional<String> opt(JsonNode b, String k) {
        return b.hasNonNull(k) ? Optional.of(b.get(k).asText()) : Optional.empty();
    }

    private static String text(JsonNode b, String k) {
        JsonNode v = b.get(k);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new BadInput("field '" + k + "' is required");
        }
        return v.asText();
    }
}
