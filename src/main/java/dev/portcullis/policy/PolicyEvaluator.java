package dev.portcullis.policy;

import dev.portcullis.attest.AttestationIndex;
import dev.portcullis.image.Digest;
import dev.portcullis.image.ImageReference;
import dev.portcullis.image.InvalidReferenceException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a policy for the images of a workload against the verified attestations in memory: no
 * I/O on this path. Allowlisted images pass; otherwise the most specific rule decides.
 */
public final class PolicyEvaluator {
    private final AttestationIndex index;
    private final Clock clock;

    public PolicyEvaluator(AttestationIndex index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    public PolicyDecision evaluate(BinauthzPolicy policy, List<String> images, EvaluationContext ctx) {
        BinauthzPolicy.Selected selected = policy.select(ctx);
        List<ImageVerdict> verdicts = new ArrayList<>(images.size());
        boolean allowed = true;
        boolean dryRun = false;
        for (String image : images) {
            ImageVerdict v = evaluateImage(policy, selected, image);
            verdicts.add(v);
            if (v instanceof ImageVerdict.Denied) {
                if (selected.rule().dryRun()) {
                    dryRun = true;
                } else {
                    allowed = false;
                }
            }
        }
        return new PolicyDecision(allowed, dryRun, verdicts);
    }

    private ImageVerdict evaluateImage(BinauthzPolicy policy, BinauthzPolicy.Selected selected, String image) {
        for (AllowlistPattern p : policy.allowlist()) {
            if (p.matches(image)) {
                return new ImageVerdict.Allowed(image, "admissionWhitelistPatterns[" + p.namePattern() + "]", "allowlisted", Map.of());
            }
        }
        if (policy.globalEvaluation()) {
            for (AllowlistPattern p : BinauthzPolicy.GLOBAL) {
                if (p.matches(image)) {
                    return new ImageVerdict.Allowed(image, "globalPolicyEvaluationMode", "system image", Map.of());
                }
            }
        }
        AdmissionRule rule = selected.rule();
        String ruleName = selected.name();
        return switch (rule.evaluationMode()) {
            case ALWAYS_ALLOW -> new ImageVerdict.Allowed(image, ruleName, "ALWAYS_ALLOW", Map.of());
            case ALWAYS_DENY -> new ImageVerdict.Denied(image, ruleName, ImageVerdict.DenyCode.ALWAYS_DENY,
                    "Image " + image + " denied by Binary Authorization " + ruleName + ": Denied by always_deny admission rule",
                    "add the image to admissionWhitelistPatterns, or change the rule's evaluationMode", Map.of());
            case REQUIRE_ATTESTATION -> attested(image, ruleName, rule);
        };
    }

    private ImageVerdict attested(String image, String ruleName, AdmissionRule rule) {
        Digest digest;
        try {
            digest = ImageReference.parse(image).digestOptional().orElse(null);
        } catch (InvalidReferenceException e) {
            digest = null;
        }
        if (digest == null) {
            return new ImageVerdict.Denied(image, ruleName, ImageVerdict.DenyCode.TAG_NOT_DIGEST,
                    "Image " + image + " denied by Binary Authorization " + ruleName
                            + ": image is not specified by digest, so attestations cannot be checked",
                    "deploy the image by digest: " + image.replaceAll(":[^/:@]+$", "") + "@sha256:...", Map.of());
        }
        Instant notBefore = rule.maxAttestationAge().map(age -> clock.instant().minus(age)).orElse(Instant.MIN);
        int satisfied = 0;
        ImageVerdict.Denied firstDenial = null;
        Map<String, String> perAttestor = new LinkedHashMap<>();
        for (String attestor : rule.requireAttestationsBy()) {
            AttestationIndex.Lookup l = index.lookup(attestor, digest, notBefore);
            if (l.valid() > 0) {
                satisfied++;
                perAttestor.put(attestor, "VALID");
            } else {
                ImageVerdict.DenyCode code = l.revoked() > 0 ? ImageVerdict.DenyCode.REVOKED_KEY
                        : l.expired() > 0 ? ImageVerdict.DenyCode.EXPIRED : ImageVerdict.DenyCode.NO_ATTESTATION;
                perAttestor.put(attestor, code.name());
                if (firstDenial != null) {
                    continue;
                }
                String detail = switch (code) {
                    case REVOKED_KEY -> "its attestations were signed only by revoked keys";
                    case EXPIRED -> "its attestations are older than the rule's maxAttestationAge";
                    default -> "No attestations found that were valid and signed by a key trusted by the attestor";
                };
                firstDenial = new ImageVerdict.Denied(image, ruleName, code,
                        "Image " + image + " denied by attestor " + attestor + ": " + detail,
                        "sign " + image + " and create an attestation for " + attestor
                                + " (portcullis attest create-signature-payload, attest sign, attest create)", Map.of());
            }
        }
        if (satisfied >= rule.threshold()) {
            return new ImageVerdict.Allowed(image, ruleName, satisfied + " of " + rule.requireAttestationsBy().size()
                    + " attestors vouched", perAttestor);
        }
        if (rule.threshold() < rule.requireAttestationsBy().size()) {
            return new ImageVerdict.Denied(image, ruleName, ImageVerdict.DenyCode.THRESHOLD_NOT_MET,
                    "Image " + image + " denied by " + ruleName + ": " + satisfied + " of the required " + rule.threshold()
                            + " attestors vouched (" + firstDenial.message() + ")", firstDenial.hint(), perAttestor);
        }
        return new ImageVerdict.Denied(image, ruleName, firstDenial.code(), firstDenial.message(), firstDenial.hint(), perAttestor);
    }
}
