package dev.portcullis.lint;

import java.util.Locale;

/** hadolint's levels, most severe first; {@code failure-threshold} compares against them. */
public enum Severity {
    ERROR, WARNING, INFO, STYLE, IGNORE;

    public static Severity parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown severity '" + text + "' (error, warning, info, style, ignore)");
        }
    }

    /** Whether this is at least as severe as {@code threshold}. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
