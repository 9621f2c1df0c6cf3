package dev.portcullis.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.StrictJson;
import dev.portcullis.image.Digest;
import dev.portcullis.image.ImageReference;
import dev.portcullis.image.InvalidReferenceException;
import dev.portcullis.image.Manifest;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The distribution registry's notification envelope, {@code {"events": [...]}}: read into events, each
 * malformed one skipped with its reason (the registry would send a refused envelope again forever), the
 * envelope itself refused only when it is not one.
 */
record EventEnvelope(List<RegistryEvent> events, List<String> skipped) {
    static final int MAX_EVENTS = 10_000;
    private static final Set<String> MANIFESTS = Set.of(Manifest.DOCKER_V2, Manifest.DOCKER_LIST, Manifest.OCI_MANIFEST,
            Manifest.OCI_INDEX);

    EventEnvelope {
        events = List.copyOf(events);
        skipped = List.copyOf(skipped);
    }

    /** Reads an envelope; a body that is not one is a {@link LineageException} saying why. */
    static EventEnvelope parse(byte[] body) {
        JsonNode root;
        try {
            root = StrictJson.read(body);
        } catch (StrictJson.InvalidJsonException e) {
            throw new LineageException("the notification is not JSON: " + e.getMessage());
        }
        JsonNode list = root.path("events");
        if (!root.isObject() || !list.isArray()) {
            throw new LineageException("the notification is not an envelope: {\"events\": [...]} expected");
        }
        if (list.size() > MAX_EVENTS) {
            throw new LineageException("the envelope holds " + list.size() + " events, more than " + MAX_EVENTS);
        }
        List<RegistryEvent> events = new ArrayList<>(list.size());
        List<String> skipped = new ArrayList<>();
        int i = 0;
        for (JsonNode e : list) {
            try {
                events.add(event(e));
            } catch (LineageException | InvalidReferenceException x) {
                skipped.add("events[" + i + "]: " + x.getMessage());
            }
            i++;
        }
        return new EventEnvelope(events, skipped);
    }

    private static RegistryEvent event(JsonNode e) {
        String id = e.path("id").asText("");
        if (!e.isObject() || id.isEmpty() || id.length() > 200) {
            throw new LineageException("an event has an id of 1 to 200 characters");
        }
        String action = e.path("action").asText("");
        JsonNode target = e.path("target");
        String mediaType = target.path("mediaType").asText("");
        String tag = target.path("tag").asText("");
        boolean manifest = MANIFESTS.contains(mediaType);
        // Pulls, and pushes of layers and configs (application/octet-stream and the like), cost nothing more.
        if (action.equals("pull") || action.equals("mount") || (action.equals("push") && !manifest)) {
            return new RegistryEvent(id, Instant.EPOCH, RegistryEvent.Action.IGNORED, "", "", null, mediaType);
        }
        if (!action.equals("push") && !action.equals("delete")) {
            throw new LineageException("event " + id + ": unknown action '" + clip(action) + "'");
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(e.path("timestamp").asText("")).toInstant();
        } catch (DateTimeParseException x) {
            throw new LineageException("event " + id + ": timestamp is not an RFC 3339 time");
        }
        String repository = repository(id, target, e.path("request"));
        if (!tag.isEmpty()) {
            new ImageReference("r.invalid", "x", tag, null);   // validates the tag
        }
        String digestText = target.path("digest").asText("");
        Digest digest = digestText.isEmpty() ? null : Digest.parse(digestText);
        if (action.equals("push")) {
            return new RegistryEvent(id, at, RegistryEvent.Action.MANIFEST_PUSH, repository, tag, digest, mediaType);
        }
        if (!tag.isEmpty()) {
            return new RegistryEvent(id, at, RegistryEvent.Action.TAG_DELETE, repository, tag, digest, mediaType);
        }
        // A delete by digest: a manifest (blobs are never held by lineage, so one named here changes nothing).
        return new RegistryEvent(id, at, RegistryEvent.Action.MANIFEST_DELETE, repository, "", digest, mediaType);
    }

    // registry/path: the registry as the URL the registry wrote names it, else the host the client asked.
    private static String repository(String id, JsonNode target, JsonNode request) {
        String path = target.path("repository").asText("");
        String host = "";
        String url = target.path("url").asText("");
        if (!url.isEmpty()) {
            try {
                host = String.valueOf(URI.create(url).getRawAuthority());
            } catch (IllegalArgumentException x) {
                throw new LineageException("event " + id + ": target.url is not a URL");
            }
        }
        if (host.isEmpty() || host.equals("null")) {
            host = request.path("host").asText("");
        }
        if (host.isEmpty()) {
            throw new LineageException("event " + id + ": names no registry (target.url or request.host)");
        }
        ImageReference.validateRepository(path);
        return new ImageReference(host, path, null, null).name();
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
