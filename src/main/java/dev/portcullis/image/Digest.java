package dev.portcullis.image;

import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec writes it, {@code algorithm:hex}. Only sha256 and sha512
 * are accepted: they are the registered algorithms, and a digest we cannot check is worthless.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        if (algorithm == null || hex == null) {
            throw new InvalidReferenceException("a digest needs an algorithm and a hex value");
        }
        switch (algorithm) {
            case "sha256" -> require(SHA256.matcher(hex).matches(), "sha256 digest must be 64 lower-case hex characters");
            case "sha512" -> require(SHA512.matcher(hex).matches(), "sha512 digest must be 128 lower-case hex characters");
            default -> throw new InvalidReferenceException("unsupported digest algorithm '" + printable(algorithm)
                    + "' (sha256 or sha512)");
        }
    }

    /** Parses {@code sha256:<64 hex>}; the error names what is wrong. */
    public static Digest parse(String text) {
        if (text == null) {
            throw new InvalidReferenceException("digest is missing");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new InvalidReferenceException("digest '" + printable(text) + "' must look like sha256:<hex>");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The digest of some bytes, sha256. */
    public static Digest sha256(byte[] content) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(content);
            return new Digest("sha256", java.util.HexFormat.of().formatHex(h));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidReferenceException(message);
        }
    }

    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder b = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
