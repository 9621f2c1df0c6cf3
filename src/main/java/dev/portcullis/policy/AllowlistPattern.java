package dev.portcullis.policy;

/**
 * An {@code admissionWhitelistPatterns} entry as Google documents it: an exact image name, or a name
 * ending in {@code *} (any image in that directory, not below it) or {@code **} (anything below).
 */
record AllowlistPattern(String namePattern) {
    public AllowlistPattern {
        if (namePattern == null || namePattern.isBlank()) {
            throw new PolicyException("namePattern is empty");
        }
        String stem = namePattern.endsWith("**") ? namePattern.substring(0, namePattern.length() - 2)
                : namePattern.endsWith("*") ? namePattern.substring(0, namePattern.length() - 1) : namePattern;
        if (stem.contains("*")) {
            throw new PolicyException("namePattern '" + namePattern + "' may use * or ** only at its end");
        }
    }

    /** Whether the image (as the pod names it: {@code name}, {@code name:tag} or {@code name@digest}) matches. */
    public boolean matches(String image) {
        if (namePattern.endsWith("**")) {
            return image.startsWith(namePattern.substring(0, namePattern.length() - 2));
        }
        if (namePattern.endsWith("*")) {
            String prefix = namePattern.substring(0, namePattern.length() - 1);
            return image.startsWith(prefix) && image.indexOf('/', prefix.length()) < 0;
        }
        return image.equals(namePattern) || image.startsWith(namePattern + ":") || image.startsWith(namePattern + "@");
    }
}
