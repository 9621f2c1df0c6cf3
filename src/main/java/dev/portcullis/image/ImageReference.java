package dev.portcullis.image;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference normalised as the docker CLI does: {@code nginx} is
 * {@code docker.io/library/nginx}, {@code localhost:5000/a/b:1} keeps its registry. The tag and the
 * digest may each be absent (null); {@link #tagOptional()} and {@link #digestOptional()} say so.
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";

    private static final int MAX_LENGTH = 4096;
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    public ImageReference {
        if (registry == null || !DOMAIN.matcher(registry).matches()) {
            throw new InvalidReferenceException("invalid registry '" + Digest.printable(String.valueOf(registry)) + "'");
        }
        validateRepository(repository);
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new InvalidReferenceException("invalid tag '" + Digest.printable(tag)
                    + "': letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-'");
        }
    }

    /** Parses and normalises a reference such as {@code nginx:1.25}, {@code ghcr.io/o/r@sha256:...}. */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidReferenceException("image reference is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidReferenceException("image reference is longer than " + MAX_LENGTH + " characters");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int lastColon = rest.lastIndexOf(':');
        if (lastColon > rest.lastIndexOf('/')) {
            tag = rest.substring(lastColon + 1);
            rest = rest.substring(0, lastColon);
        }
        String registry = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                registry = first;
                path = rest.substring(slash + 1);
            }
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (!path.equals(path.toLowerCase()) ) {
            throw new InvalidReferenceException("repository name '" + Digest.printable(path) + "' must be lower case");
        }
        return new ImageReference(registry, path, tag, digest);
    }

    /** Checks a repository path ({@code team/app}) against the distribution grammar; rejects {@code ..}. */
    public static void validateRepository(String repository) {
        if (repository == null || repository.isEmpty()) {
            throw new InvalidReferenceException("repository name is empty");
        }
        if (repository.length() > 255) {
            throw new InvalidReferenceException("repository name is longer than 255 characters");
        }
        for (String component : repository.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new InvalidReferenceException("invalid repository name '" + Digest.printable(repository)
                        + "': component '" + Digest.printable(component)
                        + "' must be lower-case letters and digits separated by '.', '_', '__' or '-'");
            }
        }
    }

    public Optional<String> tagOptional() {
        return Optional.ofNullable(tag);
    }

    public Optional<Digest> digestOptional() {
        return Optional.ofNullable(digest);
    }

    /** {@code registry/repository}, the name without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    /** The same image pinned to a digest (the tag is kept for readers). */
    public ImageReference withDigest(Digest d) {
        return new ImageReference(registry, repository, tag, d);
    }

    /** The same name with another tag and no digest. */
    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null);
    }

    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
