package dev.portcullis.admission;

import dev.portcullis.platform.Module;

/** The running admission webhook: the parser of reviews and the reviewer that judges them. */
public record Admission(AdmissionReviewParser parser, AdmissionReviewer reviewer) implements Module {}
