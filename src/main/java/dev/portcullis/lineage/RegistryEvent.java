package dev.portcullis.lineage;

import dev.portcullis.image.Digest;
import java.time.Instant;
import java.util.Optional;

/**
 * One notification of the distribution registry, as lineage reads it: its id, when it happened, what
 * was done to which manifest of which repository ({@code registry/path}, the registry as the event's
 * URL or request names it), and the tag when there is one ("" when not).
 */
record RegistryEvent(String id, Instant at, Action action, String repository, String tag, Digest digest, String mediaType) {
    /** What the event says was done; pulls and blob pushes are ignored. */
    enum Action { MANIFEST_PUSH, MANIFEST_DELETE, TAG_DELETE, IGNORED }

    RegistryEvent {
        if (action != Action.IGNORED && action != Action.TAG_DELETE && digest == null) {
            throw new LineageException("event " + id + ": a manifest event names a digest");
        }
        if (action == Action.TAG_DELETE && tag.isEmpty()) {
            throw new LineageException("event " + id + ": a tag deletion names a tag");
        }
    }

    /** The digest the event names; a tag deletion names none. */
    Optional<Digest> digestOptional() {
        return Optional.ofNullable(digest);
    }
}
