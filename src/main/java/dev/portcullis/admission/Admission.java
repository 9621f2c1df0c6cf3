package dev.portcullis.admission;

import dev.portcullis.platform.Module;

/**
 * The running admission webhook: whether it answers ({@code admission.enabled}), the parser of reviews
 * and the reviewer that judges them.
 */
public record Admission(boolean enabled, AdmissionReviewParser parser, AdmissionReviewer reviewer) implements Module {}
