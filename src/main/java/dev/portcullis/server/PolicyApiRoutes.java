package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.attest.AttestationRejectedException;
import dev.portcullis.attest.AttestationStore;
import dev.portcullis.attest.Ingested;
import dev.portcullis.attest.Occurrence;
import dev.portcullis.attest.VerifiedAttestation;
import dev.portcullis.policy.BinauthzPolicy;
import dev.portcullis.policy.EvaluationContext;
import dev.portcullis.policy.ImageVerdict;
import dev.portcullis.policy.PolicyDecision;
import dev.portcullis.policy.PolicyService;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /api/v1}: attestations, the policy and evaluation, behind an admin token (attestors and keys: {@link AttestorRoutes}).
 * Every change is written to the audit log, naming the admin token, before it is made.
 */
final class PolicyApiRoutes implements HttpService {
    private final Supplier<AttestationStore> attestationStore;
    private final Supplier<PolicyService> policyService;
    private final AdminApi api;
    private final io.micrometer.core.instrument.MeterRegistry metrics;

    /** The stores are looked up per request: the listener starts while they are still being opened. */
    PolicyApiRoutes(Supplier<AttestationStore> attestations, Supplier<PolicyService> policy, AdminApi api,
                    io.micrometer.core.instrument.MeterRegistry metrics) {
        this.attestationStore = attestations;
        this.policyService = policy;
        this.api = api;
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules r) {
        Supplier<AttestationStore> attestationsRef = attestationStore;
        Supplier<PolicyService> policyRef = policyService;
        r.post("/api/v1/attestations", api.guarded((req, res, who) -> {
            // Submitting a stored attestation again is answered 200 with the stored one: nothing new is kept.
            Ingested i = ingest(attestationsRef.get(), who, List.of(occurrence(RequestBody.jsonObject(req)))).get(0);
            JsonAnswer.send(res, i.created() ? Status.CREATED_201 : Status.OK_200, ingestedJson(i));
        }));
        // Grafeas's occurrences:batchCreate, as a path: {"occurrences": [...]}, all stored or none.
        r.post("/api/v1/attestations/batch", api.guarded((req, res, who) -> {
            JsonNode list = RequestBody.jsonObject(req).path("occurrences");
            if (!list.isArray()) {
                throw new BadInput("field 'occurrences' must be an array of attestations");
            }
            List<Occurrence> occurrences = new ArrayList<>(list.size());
            list.forEach(o -> occurrences.add(occurrence(o)));
            List<Ingested> done = ingest(attestationsRef.get(), who, occurrences);
            JsonAnswer.send(res, done.stream().anyMatch(Ingested::created) ? Status.CREATED_201 : Status.OK_200,
                    Map.of("occurrences", done.stream().map(PolicyApiRoutes::ingestedJson).toList()));
        }));
        r.get("/api/v1/policy", api.guarded((req, res, who) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/yaml");
            res.send(policyRef.get().policies().yaml());
        }));
        r.put("/api/v1/policy", api.guarded((req, res, who) -> {
            String yaml = new String(RequestBody.bytes(req), StandardCharsets.UTF_8);
            // A bad policy, or one requiring an attestor that does not exist, is refused before anything is recorded.
            for (String attestor : BinauthzPolicy.parse(yaml, "policy").attestors()) {
                if (attestationsRef.get().attestor(attestor).isEmpty()) {
                    throw new BadInput("the policy requires attestor " + attestor + ", which does not exist: create it first "
                            + "(portcullis attestors create " + attestor + ")");
                }
            }
            String old = policyRef.get().policies().yaml();
            api.change(who, "policy", "policy", "replace", "old_sha256=" + sha256(old) + " new_sha256=" + sha256(yaml), () -> {
                policyRef.get().policies().replace(yaml);
                return null;
            });
            JsonAnswer.send(res, Status.OK_200, Map.of("status", "policy replaced"));
        }));
        r.post("/api/v1/evaluate", api.guarded((req, res, who) -> {
            JsonNode b = RequestBody.jsonObject(req);
            List<String> images = new ArrayList<>();
            b.path("images").forEach(i -> images.add(i.asText()));
            EvaluationContext ctx = new EvaluationContext(opt(b, "cluster"), opt(b, "namespace"), opt(b, "serviceAccount"),
                    opt(b, "spiffeId"));
            long start = System.nanoTime();
            PolicyDecision decision = policyRef.get().evaluate(images, ctx, who.name());
            ServerMetrics.evaluationLatency(metrics).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            ServerMetrics.evaluations(metrics, !decision.allowed() ? "deny" : decision.dryRun() ? "dryrun-deny" : "allow")
                    .increment();
            JsonAnswer.send(res, Status.OK_200, decisionJson(decision));
        }));
    }

    // Verified, then recorded (one record per attestation stored, one append for all), then stored; a
    // refused one is recorded with its reason before the 400. Repeats store nothing and are not recorded.
    private List<Ingested> ingest(AttestationStore store, AdminApi.Admin who, List<Occurrence> occurrences) {
        try {
            List<Ingested> done = store.ingestAll(occurrences, fresh -> api.audit().recordAll(fresh.stream().map(v -> api.event(who,
                    "attest", "attestation", v.artifact().toString(), "allow", "verified: signed by " + v.keyId(),
                    "attestor=" + v.attestor())).toList()));
            done.forEach(i -> ServerMetrics.ingested(metrics, i.created() ? "created" : "existing").increment());
            return done;
        } catch (AttestationRejectedException e) {
            ServerMetrics.ingested(metrics, "refused").increment(occurrences.size());
            api.audit().record(api.event(who, "attest", "attestation", occurrences.size() == 1
                    ? occurrences.get(0).resourceUri() : "batch of " + occurrences.size(), "deny",
                    e.reason().name() + ": " + e.getMessage(), occurrences.size() == 1 ? "attestor=" + occurrences.get(0).attestor() : ""));
            throw e;
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
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

    private static String text(JsonNode b, String k) {
        return AdminApi.text(b, k);
    }

    private static Optional<String> opt(JsonNode b, String k) {
        return b.hasNonNull(k) ? Optional.of(b.get(k).asText()) : Optional.empty();
    }
}
