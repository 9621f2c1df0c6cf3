package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.attest.AskedDigests;
import dev.portcullis.attest.AttestationIndex;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluator runs its checks in order: the attestation check first, contributed ones after it. */
class PolicyChecksTest {
    private static final String ALLOW_ALL = """
            admissionWhitelistPatterns:
            - namePattern: gcr.io/p/tools/**
            defaultAdmissionRule:
              evaluationMode: ALWAYS_ALLOW
              enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
            """;
    private static final String DENY_ALL = """
            defaultAdmissionRule:
              evaluationMode: ALWAYS_DENY
              enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
            """;

    /** A check of the kind lineage will contribute: its own reason codes. */
    enum BanReason implements PolicyCheck.ReasonCode { BANNED_BASE }

    private final List<String> seen = new ArrayList<>();

    private PolicyCheck banning(String image) {
        return in -> {
            seen.add(in.image());
            return in.image().equals(image)
                    ? new PolicyCheck.Deny("lineage.bans[debian:11]", BanReason.BANNED_BASE, in.image() + " is built on a banned base",
                            "rebuild on an allowed base", Map.of())
                    : new PolicyCheck.Pass("lineage.bans", "no banned base", Map.of());
        };
    }

    private PolicyDecision evaluate(String policy, List<PolicyCheck> checks, String... images) {
        return new PolicyEvaluator(AttestationIndex.EMPTY, Clock.systemUTC(), checks, AskedDigests.NOT_KEPT)
                .evaluate(BinauthzPolicy.parse(policy, "policy.yaml"), List.of(images), EvaluationContext.none());
    }

    @Test
    void evaluate_contributedCheckDenies_deniesWithItsRuleAndReasonCode() {
        PolicyDecision d = evaluate(ALLOW_ALL, List.of(banning("gcr.io/p/app:1")), "gcr.io/p/app:1");
        assertThat(d.allowed()).isFalse();
        ImageVerdict.Denied v = (ImageVerdict.Denied) d.images().get(0);
        assertThat(v.code()).isEqualTo(BanReason.BANNED_BASE);
        assertThat(v.rule()).isEqualTo("lineage.bans[debian:11]");
        assertThat(v.hint()).isEqualTo("rebuild on an allowed base");
    }

    @Test
    void evaluate_allowlistedImage_stillSeenByTheChecksAfterTheAttestationCheck() {
        PolicyDecision d = evaluate(ALLOW_ALL, List.of(banning("gcr.io/p/tools/sh:1")), "gcr.io/p/tools/sh:1");
        assertThat(d.allowed()).isFalse();
        assertThat(((ImageVerdict.Denied) d.images().get(0)).code()).isEqualTo(BanReason.BANNED_BASE);
    }

    @Test
    void evaluate_everyCheckPasses_allowedWithTheAttestationChecksRuleAndWhy() {
        PolicyDecision d = evaluate(ALLOW_ALL, List.of(banning("other")), "gcr.io/p/tools/sh:1");
        assertThat(d.allowed()).isTrue();
        ImageVerdict.Allowed v = (ImageVerdict.Allowed) d.images().get(0);
        assertThat(v.rule()).isEqualTo("admissionWhitelistPatterns[gcr.io/p/tools/**]");
        assertThat(v.why()).isEqualTo("allowlisted");
    }

    @Test
    void evaluate_attestationCheckDenies_laterChecksNotAskedAndItsReasonStands() {
        PolicyDecision d = evaluate(DENY_ALL, List.of(banning("gcr.io/p/app:1")), "gcr.io/p/app:1");
        assertThat(((ImageVerdict.Denied) d.images().get(0)).code()).isEqualTo(ImageVerdict.DenyCode.ALWAYS_DENY);
        assertThat(seen).isEmpty();
    }

    @Test
    void evaluate_twoContributedChecks_runInTheirOrder() {
        PolicyDecision d = evaluate(ALLOW_ALL, List.of(banning("a:1"), in -> new PolicyCheck.Deny("vuln", BanReason.BANNED_BASE,
                "second", "", Map.of())), "a:1", "b:1");
        assertThat(d.images()).extracting(ImageVerdict::rule).containsExactly("lineage.bans[debian:11]", "vuln");
    }
}
