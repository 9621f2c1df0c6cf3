package dev.portcullis.policy;

import dev.portcullis.platform.Contribution;
import java.util.Map;

/**
 * One check the evaluator runs for each image, in order; the first denial decides. The attestation
 * check (allowlists and the Binary Authorization rule) is always first; capabilities contribute more
 * (bans, vulnerabilities, signatures) through {@link #CONTRIBUTION}. A check reads memory only.
 */
public interface PolicyCheck {
    /** Where capabilities hand the policy capability their checks. */
    Contribution<PolicyCheck> CONTRIBUTION = new Contribution<>("policy check", PolicyCheck.class);

    /** The outcome for one image; never throws for an image it cannot read (it denies it). */
    Result check(Input input);

    /** What a check sees of one image: the image as the workload names it, the policy, the rule selected. */
    record Input(String image, BinauthzPolicy policy, BinauthzPolicy.Selected selected, EvaluationContext context) {}

    /** A check's outcome for one image. */
    sealed interface Result {
        /** The rule of the check that made it, as the audit log names it. */
        String rule();

        /** Per attestor, {@code VALID} or why its attestations do not count (empty for other checks). */
        Map<String, String> attestors();
    }

    /** The image passes this check; {@code why} says how. */
    record Pass(String rule, String why, Map<String, String> attestors) implements Result {
        public Pass {
            attestors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attestors));
        }
    }

    /** The image may not run: a reason code of the check's own, the message, and how to fix it. */
    record Deny(String rule, ReasonCode code, String message, String hint, Map<String, String> attestors) implements Result {
        public Deny {
            attestors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attestors));
        }
    }

    /** A stable reason code, as answers and the audit log spell it; each check has an enum of its own. */
    interface ReasonCode {
        String name();
    }
}
