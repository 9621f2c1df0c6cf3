package dev.portcullis.lineage;

import dev.portcullis.image.Digest;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A ban of a base image and every image built on it: by digest, or a repository's tags within a version
 * range; with the reason, CVE ids, who made it and when, and when it ends ({@link Instant#MAX}: never).
 */
record Ban(String id, Target target, String reason, List<String> cves, String by, Instant at, Instant expires) {
    private static final Pattern CVE = Pattern.compile("(CVE-\\d{4}-\\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3})");

    /** What a ban names. */
    sealed interface Target {
        /** One image (or an index, and so each of its platforms). */
        record ByDigest(Digest digest) implements Target {}

        /** The tags of a repository ({@code registry/path}) within a version range. */
        record ByRange(String repository, VersionRange versions) implements Target {}
    }

    Ban {
        if (id == null || !id.matches("[a-z0-9-]{1,64}")) {
            throw new LineageException("a ban id is 1 to 64 of a-z, 0-9 and '-'");
        }
        if (reason == null || reason.isBlank() || reason.length() > 1000) {
            throw new LineageException("a ban needs a reason (1 to 1000 characters)");
        }
        cves = List.copyOf(cves);
        for (String c : cves) {
            if (!CVE.matcher(c).matches()) {
                throw new LineageException("'" + c + "' is not a CVE id (CVE-2024-12345) or a GHSA id");
            }
        }
        if (expires.isBefore(at) || expires.equals(at)) {
            throw new LineageException("a ban's expiry must be after it is made");
        }
    }

    /** In force at {@code now}. */
    boolean active(Instant now) {
        return now.isBefore(expires);
    }

    /** The ban's target in words: a digest, or {@code repository versions}. */
    String targetText() {
        return switch (target) {
            case Target.ByDigest d -> d.digest().toString();
            case Target.ByRange r -> r.repository() + " " + r.versions();
        };
    }
}
