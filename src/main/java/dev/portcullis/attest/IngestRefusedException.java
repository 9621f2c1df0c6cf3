package dev.portcullis.attest;

/** New attestations are refused for now (memory near its limit); nothing of the request was stored. */
public final class IngestRefusedException extends RuntimeException {
    public IngestRefusedException(String message) {
        super(message);
    }
}
