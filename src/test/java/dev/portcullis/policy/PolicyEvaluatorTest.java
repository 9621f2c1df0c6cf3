package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.attest.ArtifactUrl;
import dev.portcullis.attest.AttestationIndex;
import dev.portcullis.attest.VerifiedAttestation;
import dev.portcullis.config.ConfigException;
import dev.portcullis.image.Digest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyEvaluatorTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String SIGNED = "gcr.io/p/app@" + DIGEST;
    private static final String A = "projects/p/attestors/built-by-ci";
    private static final String B = "projects/p/attestors/qa";

    private AttestationIndex index = AttestationIndex.EMPTY;
    // The index is immutable: each evaluation reads the one the test has built so far.
    private final Evaluation evaluator = (p, images, c) -> new PolicyEvaluator(index, Clock.fixed(NOW, ZoneOffset.UTC))
            .evaluate(p, images, c);

    private interface Evaluation {
        PolicyDecision evaluate(BinauthzPolicy policy, List<String> images, EvaluationContext ctx);
    }

    private static final String POLICY = """
            admissionWhitelistPatterns:
            - namePattern: gcr.io/google_containers/*
            - namePattern: docker.io/library/busybox:1.36
            - namePattern: gcr.io/p/tools/**
            globalPolicyEvaluationMode: ENABLE
            defaultAdmissionRule:
              evaluationMode: REQUIRE_ATTESTATION
              enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
              requireAttestationsBy:
              - projects/p/attestors/built-by-ci
            clusterAdmissionRules:
              us-east1-a.dev:
                evaluationMode: ALWAYS_ALLOW
                enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
              us-east1-a.staging:
                evaluationMode: ALWAYS_DENY
                enforcementMode: DRYRUN_AUDIT_LOG_ONLY
            kubernetesNamespaceAdmissionRules:
              payments:
                evaluationMode: REQUIRE_ATTESTATION
                enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                requireAttestationsBy: [projects/p/attestors/built-by-ci, projects/p/attestors/qa]
              fresh:
                evaluationMode: REQUIRE_ATTESTATION
                enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                requireAttestationsBy: [projects/p/attestors/built-by-ci]
                maxAttestationAge: 24h
              quorum:
                evaluationMode: REQUIRE_ATTESTATION
                enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                requireAttestationsBy: [projects/p/attestors/built-by-ci, projects/p/attestors/qa]
                attestationThreshold: 1
            kubernetesServiceAccountAdmissionRules:
              payments:legacy:
                evaluationMode: ALWAYS_ALLOW
                enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
            """;

    private static BinauthzPolicy policy() {
        return BinauthzPolicy.parse(POLICY, "policy.yaml");
    }

    private static EvaluationContext ctx(String cluster, String ns, String sa) {
        return new EvaluationContext(Optional.ofNullable(cluster), Optional.ofNullable(ns), Optional.ofNullable(sa), Optional.empty());
    }

    private void attest(String attestor, String key, Instant created) {
        index = index.withAttestations(List.of(new VerifiedAttestation(attestor, key, new ArtifactUrl("gcr.io/p/app",
                Digest.parse(DIGEST)), created)));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "gcr.io/google_containers/pause:3.9       | true",
            "gcr.io/google_containers/sub/pause:3.9   | false",
            "gcr.io/p/tools/a/b/c:1                    | true",
            "docker.io/library/busybox:1.36            | true",
            "docker.io/library/busybox:1.37            | false",
            "registry.k8s.io/kube-proxy:v1.30.0        | true",
    })
    void evaluate_allowlistPatterns_starStaysInDirectoryDoubleStarDoesNot(String image, boolean allowed) {
        PolicyDecision d = evaluator.evaluate(policy(), List.of(image.trim()), EvaluationContext.none());
        assertThat(d.allowed()).isEqualTo(allowed);
    }

    @Test
    void evaluate_requireAttestationWithValidAttestation_allows() {
        attest(A, "k1", NOW.minusSeconds(60));
        PolicyDecision d = evaluator.evaluate(policy(), List.of(SIGNED), EvaluationContext.none());
        assertThat(d.allowed()).isTrue();
        assertThat(d.images().get(0).rule()).isEqualTo("defaultAdmissionRule");
    }

    @Test
    void evaluate_noAttestation_deniesInBinauthzWordingWithHint() {
        PolicyDecision d = evaluator.evaluate(policy(), List.of(SIGNED), EvaluationContext.none());
        assertThat(d.allowed()).isFalse();
        assertThat(d.images().get(0)).isInstanceOfSatisfying(ImageVerdict.Denied.class, v -> {
            assertThat(v.code()).isEqualTo(ImageVerdict.DenyCode.NO_ATTESTATION);
            assertThat(v.message()).isEqualTo("Image " + SIGNED + " denied by attestor " + A
                    + ": No attestations found that were valid and signed by a key trusted by the attestor");
            assertThat(v.hint()).contains("attest");
        });
    }

    @Test
    void evaluate_tagInsteadOfDigest_isTagNotDigest() {
        ImageVerdict v = evaluator.evaluate(policy(), List.of("gcr.io/p/app:1.0"), EvaluationContext.none()).images().get(0);
        assertThat(((ImageVerdict.Denied) v).code()).isEqualTo(ImageVerdict.DenyCode.TAG_NOT_DIGEST);
    }

    @Test
    void evaluate_rulePrecedence_serviceAccountThenNamespaceThenClusterThenDefault() {
        BinauthzPolicy p = policy();
        assertThat(p.select(ctx("us-east1-a.dev", "payments", "legacy")).name())
                .isEqualTo("kubernetesServiceAccountAdmissionRules[payments:legacy]");
        assertThat(p.select(ctx("us-east1-a.dev", "payments", "web")).name()).isEqualTo("kubernetesNamespaceAdmissionRules[payments]");
        assertThat(p.select(ctx("us-east1-a.dev", "other", null)).name()).isEqualTo("clusterAdmissionRules[us-east1-a.dev]");
        assertThat(p.select(ctx("eu.prod", "other", null)).name()).isEqualTo("defaultAdmissionRule");
    }

    @Test
    void evaluate_dryRunAlwaysDeny_allowsButReportsDenial() {
        PolicyDecision d = evaluator.evaluate(policy(), List.of(SIGNED), ctx("us-east1-a.staging", null, null));
        assertThat(d.allowed()).isTrue();
        assertThat(d.dryRun()).isTrue();
        assertThat(((ImageVerdict.Denied) d.images().get(0)).code()).isEqualTo(ImageVerdict.DenyCode.ALWAYS_DENY);
    }

    @Test
    void evaluate_twoAttestorsRequiredOneMissing_deniesNamingTheMissingOne() {
        attest(A, "k1", NOW);
        ImageVerdict v = evaluator.evaluate(policy(), List.of(SIGNED), ctx(null, "payments", null)).images().get(0);
        assertThat(v).isInstanceOfSatisfying(ImageVerdict.Denied.class, d -> assertThat(d.message()).contains(B));
        assertThat(v.attestors()).containsExactly(java.util.Map.entry(A, "VALID"), java.util.Map.entry(B, "NO_ATTESTATION"));
    }

    @Test
    void evaluate_thresholdOneOfTwo_allowsWithEither() {
        attest(B, "k2", NOW);
        assertThat(evaluator.evaluate(policy(), List.of(SIGNED), ctx(null, "quorum", null)).allowed()).isTrue();
    }

    @Test
    void evaluate_revokedKey_stopsCounting() {
        attest(A, "k1", NOW);
        index = index.withRevoked(A, "k1");
        ImageVerdict v = evaluator.evaluate(policy(), List.of(SIGNED), EvaluationContext.none()).images().get(0);
        assertThat(((ImageVerdict.Denied) v).code()).isEqualTo(ImageVerdict.DenyCode.REVOKED_KEY);
    }

    @Test
    void evaluate_keyRevokedUnderAnotherAttestor_stillCounts() {
        attest(A, "k1", NOW);
        index = index.withRevoked(B, "k1");
        assertThat(evaluator.evaluate(policy(), List.of(SIGNED), EvaluationContext.none()).allowed()).isTrue();
    }

    @Test
    void evaluate_attestationOlderThanMaxAge_isExpired() {
        attest(A, "k1", NOW.minusSeconds(25 * 3600));
        ImageVerdict v = evaluator.evaluate(policy(), List.of(SIGNED), ctx(null, "fresh", null)).images().get(0);
        assertThat(((ImageVerdict.Denied) v).code()).isEqualTo(ImageVerdict.DenyCode.EXPIRED);
        attest(A, "k1", NOW.minusSeconds(3600));
        assertThat(evaluator.evaluate(policy(), List.of(SIGNED), ctx(null, "fresh", null)).allowed()).isTrue();
    }

    @Test
    void evaluate_oneImageDenied_deniesWorkload() {
        attest(A, "k1", NOW);
        PolicyDecision d = evaluator.evaluate(policy(), List.of(SIGNED, "gcr.io/p/other@sha256:" + "cd".repeat(32)),
                EvaluationContext.none());
        assertThat(d.allowed()).isFalse();
        assertThat(d.images()).hasSize(2);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "defaultAdmissionRule: {evaluationMode: SOMETIMES}                          | evaluationMode",
            "defaultAdmissionRule: {evaluationMode: REQUIRE_ATTESTATION}                | requireAttestationsBy",
            "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: X}   | enforcementMode",
            "globalPolicyEvaluationMode: ENABLE                                         | defaultAdmissionRule",
            "admissionWhitelistPatterns: [{namePattern: 'a/*/b'}]\\ndefaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW} | namePattern",
    })
    void parse_badPolicy_namesKeyAndLine(String yaml, String key) {
        assertThatThrownBy(() -> BinauthzPolicy.parse(yaml.replace("\\n", "\n"), "policy.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("policy.yaml line").hasMessageContaining(key.trim());
    }
}
