package dev.portcullis.admission;

/** An AdmissionReview that cannot be judged (not JSON, a wrong kind or version, no uid, too many containers); answered 400. */
public final class AdmissionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AdmissionException(String message) {
        super(message, null, false, false);
    }
}
