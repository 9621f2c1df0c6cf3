package dev.portcullis.registryauth;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One match condition of an ACL entry, as docker_auth reads it: a glob with Go's {@code path.Match}
 * rules ({@code *} and {@code ?} stop at '/', {@code [a-z]}, {@code \} escapes), or {@code /regex/}
 * (searched, not anchored, as Go's {@code regexp.Match} does). Placeholders such as {@code ${account}}
 * are replaced, quoted, before matching.
 */
sealed interface AclPattern {
    int MAX_PATTERN = 1024;

    /** Whether {@code value} matches, with placeholders taken from {@code vars}; captured groups go to {@code groups}. */
    boolean matches(String value, Map<String, String> vars, Map<Integer, String> groups);

    /** Compiles a pattern from the configuration; a malformed one is a {@link AclPatternException}. */
    static AclPattern compile(String text) {
        if (text.length() > MAX_PATTERN) {
            throw new AclPatternException("pattern longer than " + MAX_PATTERN + " characters");
        }
        boolean regex = text.length() > 2 && text.startsWith("/") && text.endsWith("/");
        boolean templated = text.contains("${");
        String body = regex ? text.substring(1, text.length() - 1) : text;
        if (templated) {
            // Check now that the pattern compiles with a sample substitution, so errors show at start.
            toRegex(Placeholders.substitute(body, Placeholders.SAMPLE, regex), regex);
            return new Templated(body, regex);
        }
        return new Fixed(toRegex(body, regex), regex);
    }

    /** A pattern with no placeholders, compiled once. */
    record Fixed(Pattern pattern, boolean regex) implements AclPattern {
        @Override
        public boolean matches(String value, Map<String, String> vars, Map<Integer, String> groups) {
            return run(pattern, regex, value, groups);
        }
    }

    /** A pattern with placeholders, compiled per request after substitution. */
    record Templated(String body, boolean regex) implements AclPattern {
        @Override
        public boolean matches(String value, Map<String, String> vars, Map<Integer, String> groups) {
            return run(toRegex(Placeholders.substitute(body, vars, regex), regex), regex, value, groups);
        }
    }

    private static boolean run(Pattern p, boolean regex, String value, Map<Integer, String> groups) {
        Matcher m = p.matcher(new BoundedCharSequence(value));
        boolean ok = regex ? m.find() : m.matches();
        if (ok && regex) {
            for (int i = 1; i <= m.groupCount(); i++) {
                groups.put(i, m.group(i) == null ? "" : m.group(i));
            }
        }
        return ok;
    }

    private static Pattern toRegex(String body, boolean regex) {
        try {
            return Pattern.compile(regex ? body : Glob.toRegex(body));
        } catch (PatternSyntaxException e) {
            throw new AclPatternException("invalid " + (regex ? "regular expression" : "glob") + ": "
                    + e.getDescription());
        }
    }
}
