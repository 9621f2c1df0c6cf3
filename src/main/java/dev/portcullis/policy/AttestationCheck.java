package dev.portcullis.policy;

import dev.portcullis.attest.AskedDigests;
import dev.portcullis.attest.AttestationIndex;
import dev.portcullis.image.Digest;
import dev.portcullis.image.ImageReference;
import dev.portcullis.image.InvalidReferenceException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary Authorization's check, the evaluator's first: allowlisted images pass; otherwise the selected
 * rule's evaluation mode decides, against the verified attestations in memory. An allowlist exempts
 * an image from this check only: the checks after it (a ban, say) still see it.
 */
final class AttestationCheck implements PolicyCheck {
    private final AttestationIndex index;
    private final Clock clock;
    private final AskedDigests asked;

    AttestationCheck(AttestationIndex index, Clock clock, AskedDigests asked) {
        this.index = index;
        this.clock = clock;
        this.asked = asked;
    }

    @Override
    public Result check(Input in) {
        String image = in.image();
        for (AllowlistPattern p : in.policy().allowlist()) {
            if (p.matches(image)) {
                return new Pass("admissionWhitelistPatterns[" + p.namePattern() + "]", "allowlisted", Map.of());
            }
        }
        if (in.policy().globalEvaluation()) {
            for (AllowlistPattern p : BinauthzPolicy.GLOBAL) {
                if (p.matches(image)) {
                    return new Pass("globalPolicyEvaluationMode", "system image", Map.of());
                }
            }
        }
        AdmissionRule rule = in.selected().rule();
        String ruleName = in.selected().name();
        return switch (rule.evaluationMode()) {
            case ALWAYS_ALLOW -> new Pass(ruleName, "ALWAYS_ALLOW", Map.of());
            case ALWAYS_DENY -> new Deny(ruleName, ImageVerdict.DenyCode.ALWAYS_DENY,
                    "Image " + image + " denied by Binary Authorization " + ruleName + ": Denied by always_deny admission rule",
                    "add the image to admissionWhitelistPatterns, or change the rule's evaluationMode", Map.of());
            case REQUIRE_ATTESTATION -> attested(image, ruleName, rule);
        };
    }

    private Result attested(String image, String ruleName, AdmissionRule rule) {
        Digest digest;
        try {
            digest = ImageReference.parse(image).digestOptional().orElse(null);
        } catch (InvalidReferenceException e) {
            digest = null;
        }
        if (digest == null) {
            return new Deny(ruleName, ImageVerdict.DenyCode.TAG_NOT_DIGEST,
                    "Image " + image + " denied by Binary Authorization " + ruleName
                            + ": image is not specified by digest, so attestations cannot be checked",
                    "deploy the image by digest: " + image.replaceAll(":[^/:@]+$", "") + "@sha256:...", Map.of());
        }
        // Asked about: retention keeps this digest's attestations for another window.
        asked.asked(index, digest, clock.instant());
        Instant notBefore = rule.maxAttestationAge().map(age -> clock.instant().minus(age)).orElse(Instant.MIN);
        int satisfied = 0;
        Deny firstDenial = null;
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
                firstDenial = new Deny(ruleName, code, "Image " + image + " denied by attestor " + attestor + ": " + detail,
                        "sign " + image + " and create an attestation for " + attestor
                                + " (portcullis attest create-signature-payload, attest sign, attest create)", Map.of());
            }
        }
        if (satisfied >= rule.threshold()) {
            return new Pass(ruleName, satisfied + " of " + rule.requireAttestationsBy().size() + " attestors vouched", perAttestor);
        }
        if (rule.threshold() < rule.requireAttestationsBy().size()) {
            return new Deny(ruleName, ImageVerdict.DenyCode.THRESHOLD_NOT_MET,
                    "Image " + image + " denied by " + ruleName + ": " + satisfied + " of the required " + rule.threshold()
                            + " attestors vouched (" + firstDenial.message() + ")", firstDenial.hint(), perAttestor);
        }
        return new Deny(ruleName, firstDenial.code(), firstDenial.message(), firstDenial.hint(), perAttestor);
    }
}
