package dev.portcullis.policy;

/** The decision for one image of a workload, with the rule that made it. */
public sealed interface ImageVerdict {

    String image();

    String rule();

    /** The image may run. */
    record Allowed(String image, String rule, String why) implements ImageVerdict {}

    /** The image may not run: a stable code, Binary Authorization's wording, and how to fix it. */
    record Denied(String image, String rule, DenyCode code, String message, String hint) implements ImageVerdict {}

    /** Why an image was denied. */
    enum DenyCode { ALWAYS_DENY, TAG_NOT_DIGEST, NO_ATTESTATION, REVOKED_KEY, EXPIRED, THRESHOLD_NOT_MET }
}
