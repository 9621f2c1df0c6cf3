package dev.portcullis.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * An endpoint rule, {@code METHOD /path}: the method {@code *} or {@code GET|HEAD}, the path matched
 * segment by segment after normalisation and without the API version, {@code *} one segment and
 * {@code **} one or more.
 */
public record EndpointPattern(Set<String> methods, List<String> segments, String text) {
    public EndpointPattern {
        methods = Set.copyOf(methods);
        segments = List.copyOf(segments);
    }

    /** Reads {@code "POST /containers/*\/start"}; the message names the rule when it does not read. */
    public static EndpointPattern parse(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 2 || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("endpoint '" + text + "' is not 'METHOD /path' (e.g. 'GET /containers/json')");
        }
        Set<String> methods = Set.of(parts[0].split("\\|"));
        for (String m : methods) {
            if (!m.equals("*") && !m.matches("[A-Z]+")) {
                throw new IllegalArgumentException("endpoint '" + text + "': method '" + m + "' is not '*' or upper-case letters");
            }
        }
        List<String> segments = Arrays.stream(parts[1].split("/")).filter(s -> !s.isEmpty()).toList();
        for (String s : segments) {
            if ((s.contains("*") && !s.equals("*") && !s.equals("**")) || s.equals("..") || s.equals(".")) {
                throw new IllegalArgumentException("endpoint '" + text + "': segment '" + s + "' (a wildcard is a whole segment, * or **)");
            }
        }
        return new EndpointPattern(methods, segments, parts[0] + " " + parts[1]);
    }

    public boolean matches(String method, EnginePath path) {
        return (methods.contains("*") || methods.contains(method)) && match(0, path.segments(), 0);
    }

    private boolean match(int p, List<String> path, int i) {
        if (p == segments.size()) {
            return i == path.size();
        }
        String s = segments.get(p);
        if (s.equals("**")) {
            for (int end = i + 1; end <= path.size(); end++) {
                if (match(p + 1, path, end)) {
                    return true;
                }
            }
            return false;
        }
        return i < path.size() && (s.equals("*") || s.equals(path.get(i))) && match(p + 1, path, i + 1);
    }
}
