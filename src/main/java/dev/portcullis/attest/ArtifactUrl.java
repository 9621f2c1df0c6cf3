package dev.portcullis.attest;

import dev.portcullis.image.Digest;
import dev.portcullis.image.InvalidReferenceException;

/**
 * An artifact named by digest, {@code REPO@sha256:...} (an optional {@code https://} prefix, as
 * Grafeas resource URIs carry, is dropped). A tag is refused: attestations vouch for content.
 */
public record ArtifactUrl(String repository, Digest digest) {

    public static ArtifactUrl parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("https://")) {
            t = t.substring("https://".length());
        }
        int at = t.indexOf('@');
        if (at <= 0) {
            throw new AttestationRejectedException(Reason.TAG_NOT_DIGEST, "artifact '" + t
                    + "' must be named by digest: REPOSITORY@sha256:<64 hex>");
        }
        try {
            return new ArtifactUrl(t.substring(0, at), Digest.parse(t.substring(at + 1)));
        } catch (InvalidReferenceException e) {
            throw new AttestationRejectedException(Reason.TAG_NOT_DIGEST, "artifact '" + t + "': " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return repository + "@" + digest;
    }
}
