package dev.portcullis.pki;

import java.util.regex.Pattern;

/**
 * A SPIFFE ID as the SPIFFE ID standard defines it: {@code spiffe://} a trust domain of lower-case
 * letters, digits, dots, dashes and underscores, then a path of segments of letters, digits, dots,
 * dashes and underscores, none empty, {@code .} or {@code ..}; no port, user, query or fragment, no
 * trailing slash, at most 2048 bytes.
 */
public record SpiffeId(String trustDomain, String path) {
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9._-]+");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int MAX_LENGTH = 2048;

    public SpiffeId {
        if (trustDomain == null || !DOMAIN.matcher(trustDomain).matches()) {
            throw new IllegalArgumentException("SPIFFE trust domain '" + trustDomain
                    + "': only lower-case letters, digits, '.', '-' and '_'");
        }
        if (path == null) {
            path = "";
        }
        if (!path.isEmpty()) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("SPIFFE path '" + path + "' must start with '/'");
            }
            for (String segment : path.substring(1).split("/", -1)) {
                if (segment.isEmpty()) {
                    throw new IllegalArgumentException("SPIFFE path '" + path + "' has an empty segment or a trailing '/'");
                }
                if (segment.equals(".") || segment.equals("..")) {
                    throw new IllegalArgumentException("SPIFFE path '" + path + "' has a '" + segment + "' segment");
                }
                if (!SEGMENT.matcher(segment).matches()) {
                    throw new IllegalArgumentException("SPIFFE path segment '" + segment
                            + "': only letters, digits, '.', '-' and '_'");
                }
            }
        }
        if (("spiffe://" + trustDomain + path).length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a SPIFFE ID is at most " + MAX_LENGTH + " bytes");
        }
    }

    /** Reads {@code spiffe://domain/path}; the message says what is wrong with it. */
    public static SpiffeId parse(String text) {
        if (text == null || !text.startsWith("spiffe://")) {
            throw new IllegalArgumentException("SPIFFE ID '" + text + "' must start with spiffe://");
        }
        String rest = text.substring("spiffe://".length());
        for (char c : new char[] {'?', '#', '@', ':', '%'}) {
            if (rest.indexOf(c) >= 0) {
                throw new IllegalArgumentException("SPIFFE ID '" + text + "' may not contain '" + c
                        + "' (no port, user, query, fragment or percent-encoding)");
            }
        }
        int slash = rest.indexOf('/');
        String domain = slash < 0 ? rest : rest.substring(0, slash);
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("SPIFFE ID '" + text + "' has no trust domain");
        }
        return new SpiffeId(domain, slash < 0 ? "" : rest.substring(slash));
    }

    /** Whether this is a workload's ID (with a path), not the trust domain's own. */
    public boolean isWorkload() {
        return !path.isEmpty();
    }

    @Override
    public String toString() {
        return "spiffe://" + trustDomain + path;
    }
}
