package dev.portcullis.attest;

import dev.portcullis.image.Digest;
import dev.portcullis.image.InvalidReferenceException;

/**
 * An artifact named by digest, {@code REPO@sha256:...} (an optional {@code https://} prefix, as
 * Grafeas resource URIs carry, is dropped). A tag is refused: attestations vouch for content.
 */
public record ArtifactUrl(String repository, Digest digest) {
    /** The longest repository name; the store's column holds 1,024. */
    public static final int MAX_REPOSITORY = 1024;

    public ArtifactUrl {
        java.util.Objects.requireNonNull(digest, "digest");
        if (repository.codePointCount(0, repository.length()) > MAX_REPOSITORY || repository.indexOf('\0') >= 0) {
            throw new InvalidFieldException("resourceUri", "must name a repository of at most " + MAX_REPOSITORY
                    + " characters, without NUL");
        }
    }

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
