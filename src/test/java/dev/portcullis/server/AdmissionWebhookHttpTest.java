package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.attest.SignaturePayload;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
import dev.portcullis.testbed.AdmissionReviews;
import dev.portcullis.testbed.AuditLines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /admission/validate} over HTTP against a started server, with AdmissionReviews in the
 * shape the API server sends, for every kind judged: allowed, denied, dry run, break-glass, tag against
 * digest, v1beta1, and reviews it cannot have sent.
 */
class AdmissionWebhookHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String V1 = "admission.k8s.io/v1";
    private static final String ATTESTOR = "projects/p/attestors/built-by-ci";
    private static final String APP = "gcr.io/p/app@sha256:" + "aa".repeat(32);
    private static final String INIT = "gcr.io/p/setup@sha256:" + "bb".repeat(32);
    private static final String DEBUG = "gcr.io/p/debug@sha256:" + "cc".repeat(32);
    private static final String DENY_ALL = "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n";

    @TempDir
    Path dir;

    private Application app;
    private String token;

    @BeforeEach
    void start() throws Exception {
        app = Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n"
                + "admission: {enabled: true, cluster: us-east1.prod, trust_domain: td.example}\n", "a.yml", Map.of()), Clock.systemUTC());
        token = Files.readString(app.adminTokenFile().orElseThrow()).strip();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    static Stream<AdmissionReviews.Kind> kinds() {
        return AdmissionReviews.KINDS.stream();
    }

    private HttpResponse<String> call(String method, String path, String body, String bearer) throws Exception {
        return dev.portcullis.testbed.HttpCalls.call(app.port(), method, path, body, bearer);
    }

    private void policy(String yaml) throws Exception {
        assertThat(call("PUT", "/api/v1/policy", yaml, token).statusCode()).isEqualTo(200);
    }

    /** The answer's {@code response}, after checking it is an AdmissionReview of the version asked, for the uid asked. */
    private JsonNode validate(String apiVersion, AdmissionReviews.Kind k, ObjectNode object, boolean dryRun) throws Exception {
        String uid = UUID.randomUUID().toString();
        HttpResponse<String> r = call("POST", "/admission/validate", AdmissionReviews.review(apiVersion, k, uid, object, dryRun), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode review = JSON.readTree(r.body());
        assertThat(review.get("apiVersion").asText()).isEqualTo(apiVersion);
        assertThat(review.get("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(review.at("/response/uid").asText()).isEqualTo(uid);
        return review.get("response");
    }

    private JsonNode validate(AdmissionReviews.Kind k, String app, String init, String debug) throws Exception {
        return validate(V1, k, AdmissionReviews.object(k, app, init, debug), false);
    }

    private List<AuditEvent> admissionRecords() {
        return AuditLines.read(dir).stream().filter(e -> e.capability().equals("admission")).toList();
    }

    @Test
    void metrics_reviewsAnswered_areCountedByOutcomeWithTheirLatency() throws Exception {
        AdmissionReviews.Kind pod = AdmissionReviews.KINDS.get(0);
        policy(DENY_ALL);
        assertThat(validate(pod, APP, INIT, DEBUG).get("allowed").asBoolean()).isFalse();
        policy("defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n");
        assertThat(validate(pod, APP, INIT, DEBUG).get("allowed").asBoolean()).isTrue();
        assertThat(validate(pod, APP, INIT, DEBUG).get("allowed").asBoolean()).isTrue();
        assertThat(call("POST", "/admission/validate", "{", null).statusCode()).isEqualTo(400);

        String metrics = call("GET", "/metrics", "", null).body();
        assertThat(metrics).contains("portcullis_admission_reviews_total{outcome=\"allowed\"} 2.0",
                "portcullis_admission_reviews_total{outcome=\"denied\"} 1.0",
                "portcullis_admission_reviews_total{outcome=\"bad_request\"} 1.0",
                "portcullis_admission_reviews_total{outcome=\"starting\"} 0.0",
                "portcullis_admission_review_seconds_count 4");
    }

    @Test
    void validate_webhookNotEnabled_answers404NamingTheKeyAndJudgesNothing() throws Exception {
        Path other = Files.createDirectories(dir.resolve("off"));
        try (Application off = Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + other
                + "\"\n", "a.yml", Map.of()), Clock.systemUTC())) {
            AdmissionReviews.Kind pod = AdmissionReviews.KINDS.get(0);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + off.port() + "/admission/validate"))
                    .POST(HttpRequest.BodyPublishers.ofString(AdmissionReviews.review(V1, pod, "uid-off",
                            AdmissionReviews.object(pod, APP, INIT, DEBUG), false))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("admission.enabled: true");
            assertThat(AuditLines.read(other).stream().filter(e -> e.capability().equals("admission"))).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void validate_namespaceRuleAllows_allowedAndAuditedOnce(AdmissionReviews.Kind k) throws Exception {
        policy(DENY_ALL + "kubernetesNamespaceAdmissionRules:\n  web: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n");
        JsonNode r = validate(k, APP, INIT, DEBUG);
        assertThat(r.get("allowed").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.has("status")).isFalse();
        assertThat(r.has("warnings")).isFalse();
        assertThat(r.at("/auditAnnotations/decision").asText()).isEqualTo("allow");
        assertThat(r.at("/auditAnnotations/rules").asText()).contains(APP + " <- kubernetesNamespaceAdmissionRules[web]");
        List<AuditEvent> audited = admissionRecords();
        assertThat(audited).hasSize(1);
        AuditEvent e = audited.get(0);
        assertThat(e.action()).isEqualTo("validate");
        assertThat(e.decision()).isEqualTo("allow");
        assertThat(e.subject()).isEqualTo("alice@example.com");
        assertThat(e.object()).startsWith(k.qualified()).contains(" web/").contains(APP).contains(INIT);
        assertThat(e.rule()).contains("kubernetesNamespaceAdmissionRules[web]");
        assertThat(e.detail()).contains("serviceAccount=web:deployer").contains("cluster=us-east1.prod");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void validate_defaultRuleDenies_403ListingEveryImageWithReasonAndHint(AdmissionReviews.Kind k) throws Exception {
        policy(DENY_ALL);
        JsonNode r = validate(k, APP, INIT, DEBUG);
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.at("/status/code").asInt()).isEqualTo(403);
        String message = r.at("/status/message").asText();
        List<String> images = k.subResource().isEmpty() ? List.of(APP, INIT) : List.of(APP, INIT, DEBUG);
        for (String image : images) {
            assertThat(message).contains("Image " + image + " denied by Binary Authorization defaultAdmissionRule: "
                    + "Denied by always_deny admission rule");
        }
        assertThat(message).contains("containers[0] \"app\"").contains("initContainers[0] \"setup\"")
                .contains("to fix: add the image to admissionWhitelistPatterns");
        assertThat(admissionRecords()).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo("deny");
            assertThat(e.rule()).contains(APP + " <- defaultAdmissionRule ALWAYS_DENY");
        });
    }

    @Test
    void validate_oneOfTwoImagesDenied_namesOnlyThatOne() throws Exception {
        policy(DENY_ALL + "admissionWhitelistPatterns: [{namePattern: \"gcr.io/p/setup*\"}]\n");
        JsonNode r = validate(AdmissionReviews.KINDS.get(2), APP, INIT, DEBUG);
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.at("/status/message").asText()).contains(APP).doesNotContain(INIT);
    }

    @Test
    void validate_v1beta1_answeredInV1beta1() throws Exception {
        policy(DENY_ALL);
        AdmissionReviews.Kind pod = AdmissionReviews.KINDS.get(0);
        JsonNode r = validate("admission.k8s.io/v1beta1", pod, AdmissionReviews.object(pod, APP, INIT, DEBUG), false);
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.at("/status/code").asInt()).isEqualTo(403);
    }

    @Test
    void validate_dryRunRule_allowedWithWarningsSayingWhatWouldBeDenied() throws Exception {
        policy("defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: DRYRUN_AUDIT_LOG_ONLY}\n");
        JsonNode r = validate(AdmissionReviews.KINDS.get(2), APP, INIT, DEBUG);
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.get("warnings")).hasSize(2);
        assertThat(r.at("/warnings/0").asText()).startsWith("dry run, would be denied: Image " + APP + " denied by Binary Authorization");
        assertThat(r.at("/auditAnnotations/decision").asText()).isEqualTo("dryrun-deny");
        assertThat(admissionRecords()).singleElement().satisfies(e -> assertThat(e.decision()).isEqualTo("dryrun-deny"));
    }

    @Test
    void validate_kubectlDryRun_judgedTheSameAndAuditedAsDryRun() throws Exception {
        policy(DENY_ALL);
        AdmissionReviews.Kind pod = AdmissionReviews.KINDS.get(0);
        JsonNode r = validate(V1, pod, AdmissionReviews.object(pod, APP, INIT, DEBUG), true);
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(admissionRecords()).singleElement().satisfies(e -> assertThat(e.detail()).contains("dryRun=true"));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void validate_breakGlassLabelOnThePod_admitsWithWarningAndAudits(AdmissionReviews.Kind k) throws Exception {
        policy(DENY_ALL);
        ObjectNode o = AdmissionReviews.object(k, APP, INIT, DEBUG);
        // On the pod itself, or on the pod template of a controller: where Google's documentation puts it.
        ObjectNode podMeta = (ObjectNode) (k.kind().equals("Pod") ? o.get("metadata") : o.findParent("spec").path("spec")
                .findValue("template").get("metadata"));
        ((ObjectNode) podMeta.with("labels")).put("image-policy.k8s.io/break-glass", "true");
        JsonNode r = validate(V1, k, o, false);
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.at("/warnings/0").asText()).startsWith("break-glass: admitted by image-policy.k8s.io/break-glass");
        assertThat(r.get("warnings").toString()).contains("break-glass overrides: Image " + APP);
        assertThat(r.at("/auditAnnotations/break-glass").asText()).isEqualTo("true");
        assertThat(admissionRecords()).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo("allow");
            assertThat(e.rule()).startsWith("break-glass (image-policy.k8s.io/break-glass) over: ").contains("ALWAYS_DENY");
        });
    }

    @Test
    void validate_breakGlassLabelOnTheControllerNotItsPodTemplate_stillDenied() throws Exception {
        // The pods it makes would not carry it: admitting the Deployment would only move the denial to them.
        assertThat(allowedWithOwnMetadata(AdmissionReviews.KINDS.get(2), "labels", "image-policy.k8s.io/break-glass", "true")).isFalse();
    }

    @Test
    void validate_legacyBreakGlassAnnotation_admits() throws Exception {
        assertThat(allowedWithOwnMetadata(AdmissionReviews.KINDS.get(0), "annotations", "alpha.image-policy.k8s.io/break-glass", "true"))
                .isTrue();
    }

    @Test
    void validate_breakGlassLabelNotTrue_stillDenied() throws Exception {
        assertThat(allowedWithOwnMetadata(AdmissionReviews.KINDS.get(0), "labels", "image-policy.k8s.io/break-glass", "false")).isFalse();
    }

    // Under the deny-everything policy, whether the object is admitted with this label or annotation in its own metadata.
    private boolean allowedWithOwnMetadata(AdmissionReviews.Kind k, String field, String key, String value) throws Exception {
        policy(DENY_ALL);
        ObjectNode o = AdmissionReviews.object(k, APP, INIT, DEBUG);
        ((ObjectNode) o.get("metadata").get(field)).put(key, value);
        return validate(V1, k, o, false).get("allowed").asBoolean();
    }

    @Test
    void validate_contextFromTheRequest_selectsServiceAccountIstioAndClusterRules() throws Exception {
        String allow = "{evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}";
        AdmissionReviews.Kind pod = AdmissionReviews.KINDS.get(0);
        policy(DENY_ALL + "kubernetesServiceAccountAdmissionRules:\n  \"web:deployer\": " + allow + "\n");
        assertThat(validate(pod, APP, INIT, DEBUG).at("/auditAnnotations/rules").asText())
                .contains("kubernetesServiceAccountAdmissionRules[web:deployer]");
        policy(DENY_ALL + "istioServiceIdentityAdmissionRules:\n  \"spiffe://td.example/ns/web/sa/deployer\": " + allow + "\n");
        assertThat(validate(pod, APP, INIT, DEBUG).get("allowed").asBoolean()).isTrue();
        policy(DENY_ALL + "clusterAdmissionRules:\n  us-east1.prod: " + allow + "\n");
        assertThat(validate(pod, APP, INIT, DEBUG).at("/auditAnnotations/rules").asText()).contains("clusterAdmissionRules[us-east1.prod]");
    }

    @Test
    void validate_ruleRequiresAttestations_tagDeniedSayingADigestIsNeededAndAttestedDigestAllowed() throws Exception {
        Digest digest = Digest.sha256("app".getBytes(StandardCharsets.UTF_8));
        attest("gcr.io/p/app", digest);
        policy("defaultAdmissionRule: {evaluationMode: REQUIRE_ATTESTATION, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG, "
                + "requireAttestationsBy: [" + ATTESTOR + "]}\nadmissionWhitelistPatterns: [{namePattern: \"gcr.io/p/setup*\"}]\n");
        AdmissionReviews.Kind deployment = AdmissionReviews.KINDS.get(2);
        JsonNode tag = validate(deployment, "gcr.io/p/app:1.4", INIT, DEBUG);
        assertThat(tag.get("allowed").asBoolean()).isFalse();
        assertThat(tag.at("/status/message").asText()).contains("Image gcr.io/p/app:1.4 denied by Binary Authorization "
                + "defaultAdmissionRule: image is not specified by digest").contains("to fix: deploy the image by digest: gcr.io/p/app@sha256:");
        assertThat(tag.at("/auditAnnotations/rules").asText()).contains("TAG_NOT_DIGEST");

        assertThat(validate(deployment, "gcr.io/p/app@" + digest, INIT, DEBUG).get("allowed").asBoolean()).isTrue();
        JsonNode unattested = validate(deployment, APP, INIT, DEBUG);
        assertThat(unattested.at("/status/message").asText()).contains("Image " + APP + " denied by attestor " + ATTESTOR);
    }

    @Test
    void validate_kindNotJudged_allowedWithWarningAndAudited() throws Exception {
        policy(DENY_ALL);
        HttpResponse<String> r = call("POST", "/admission/validate", AdmissionReviews.scaleReview(), null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode response = JSON.readTree(r.body()).get("response");
        assertThat(response.get("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.at("/warnings/0").asText()).isEqualTo(
                "Portcullis does not judge autoscaling/Scale/scale: admitted without an image policy check");
        assertThat(admissionRecords()).singleElement().satisfies(e -> assertThat(e.rule()).isEqualTo("not judged: autoscaling/Scale/scale"));
    }

    @Test
    void validate_badReviews_are400WithTheReasonNeverServerErrors() throws Exception {
        AdmissionReviews.Kind pod = AdmissionReviews.KINDS.get(0);
        String good = AdmissionReviews.review(V1, pod, "uid-1", AdmissionReviews.object(pod, APP, INIT, DEBUG), false);
        ObjectNode many = AdmissionReviews.object(pod, APP, INIT, DEBUG);
        for (int i = 0; i < 600; i++) {
            many.withArray("/spec/containers").addObject().put("name", "c" + i).put("image", APP);
        }
        Map<String, String> bad = Map.of(
                "", "not one JSON AdmissionReview",
                "{\"apiVersion\": ", "not one JSON AdmissionReview",
                good.replace("\"kind\":\"AdmissionReview\"", "\"kind\":\"Pod\""), "kind must be AdmissionReview",
                good.replace(V1, "v1"), "apiVersion must be admission.k8s.io/v1 or admission.k8s.io/v1beta1",
                good.replace("\"uid\":\"uid-1\",", ""), "request.uid is missing",
                AdmissionReviews.review(V1, pod, "u", many, false), "names 602 containers, more than the 500");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            HttpResponse<String> r = call("POST", "/admission/validate", b.getKey(), null);
            assertThat(r.statusCode()).as(b.getValue()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").asText()).contains(b.getValue());
        }
        // Over the 8 MiB limit, and within what the listener reads and drops after refusing it (twice the limit), so that
        // the client reads the 413 rather than a reset of a connection closed with its bytes unread.
        HttpResponse<String> large = call("POST", "/admission/validate", "{\"a\": \"" + "x".repeat(12 << 20) + "\"}", null);
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(admissionRecords()).isEmpty();
    }

    // An attestation by ATTESTOR for image@digest, through the admin API as CI would make it.
    private void attest(String image, Digest digest) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        assertThat(call("POST", "/api/v1/attestors", "{\"name\": \"" + ATTESTOR + "\"}", token).statusCode()).isEqualTo(201);
        HttpResponse<String> key = call("POST", "/api/v1/attestor-keys", JSON.writeValueAsString(Map.of("attestor", ATTESTOR,
                "pkixPublicKey", Pem.write(kp.getPublic()), "signatureAlgorithm", "ECDSA_P256_SHA256")), token);
        String keyId = JSON.readTree(key.body()).get("id").asText();
        byte[] payload = SignaturePayload.forArtifact(image, digest);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(payload);
        HttpResponse<String> r = call("POST", "/api/v1/attestations", JSON.writeValueAsString(Map.of("resourceUri", image + "@" + digest,
                "noteName", ATTESTOR, "attestation", Map.of("serializedPayload", Base64.getEncoder().encodeToString(payload),
                        "signatures", List.of(Map.of("publicKeyId", keyId, "signature", Base64.getEncoder().encodeToString(s.sign())))))),
                token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
