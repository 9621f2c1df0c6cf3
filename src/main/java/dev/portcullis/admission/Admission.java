package dev.portcullis.admission;

import dev.portcullis.platform.Module;

/**
 * The running admission webhook: whether it answers ({@code admission.enabled}), the parser of reviews
 * the reviewer that judges them, and whether it is served on a listener of its own ({@code admission.addr})
 * rather than the main one.
 */
public record Admission(boolean enabled, AdmissionReviewParser parser, AdmissionReviewer reviewer, boolean ownListener)
        implements Module {}
