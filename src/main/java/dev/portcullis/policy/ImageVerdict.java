package dev.portcullis.policy;

/** The decision for one image of a workload, with the rule that made it. */
public sealed interface ImageVerdict {

    String image();

    String rule();

    /** Per required attestor: {@code VALID} or the code that says why its attestations do not count. */
    java.util.Map<String, String> attestors();

    /** The image may run. */
    record Allowed(String image, String rule, String why, java.util.Map<String, String> attestors) implements ImageVerdict {
        public Allowed {
            attestors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attestors));
        }
    }

    /** The image may not run: a stable code, Binary Authorization's wording, and how to fix it. */
    record Denied(String image, String rule, PolicyCheck.ReasonCode code, String message, String hint, java.util.Map<String, String> attestors)
            implements ImageVerdict {
        public Denied {
            attestors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attestors));
        }
    }

    /** Why the attestation check denied an image; other checks have reason codes of their own. */
    enum DenyCode implements PolicyCheck.ReasonCode { ALWAYS_DENY, TAG_NOT_DIGEST, NO_ATTESTATION, REVOKED_KEY, EXPIRED, THRESHOLD_NOT_MET }
}
