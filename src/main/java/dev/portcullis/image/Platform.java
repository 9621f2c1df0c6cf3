package dev.portcullis.image;

import java.util.regex.Pattern;

/** An image's platform as OCI writes it: {@code os/architecture[/variant]}, e.g. {@code linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {
    private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    public Platform {
        if (os == null || !WORD.matcher(os).matches() || architecture == null || !WORD.matcher(architecture).matches()) {
            throw new InvalidReferenceException("a platform is os/architecture in lower case, e.g. linux/amd64, not '"
                    + Digest.printable(os + "/" + architecture) + "'");
        }
        if (variant == null) {
            variant = "";
        }
        if (!variant.isEmpty() && !WORD.matcher(variant).matches()) {
            throw new InvalidReferenceException("invalid platform variant '" + Digest.printable(variant) + "'");
        }
    }

    /** Parses {@code linux/amd64} or {@code linux/arm64/v8}. */
    public static Platform parse(String text) {
        String[] p = text == null ? new String[0] : text.split("/", -1);
        if (p.length < 2 || p.length > 3) {
            throw new InvalidReferenceException("a platform is os/architecture[/variant], not '" + Digest.printable(String.valueOf(text)) + "'");
        }
        return new Platform(p[0], p[1], p.length == 3 ? p[2] : "");
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
