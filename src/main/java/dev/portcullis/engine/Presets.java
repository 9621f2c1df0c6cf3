package dev.portcullis.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named sets of endpoints a rules file may list instead of patterns: {@code read-only} (inspecting,
 * never changing, and not copying files out of containers), {@code run} (that, and running
 * containers: create, start, stop, exec, logs, pulling and loading images) and {@code all}.
 */
final class Presets {
    private static final List<String> READ_ONLY = List.of(
            "GET|HEAD /_ping", "GET /version", "GET /info", "GET /events", "GET /system/df",
            "GET /containers/json", "GET /containers/*/json", "GET /containers/*/logs", "GET /containers/*/top",
            "GET /containers/*/stats", "GET /containers/*/changes",
            "GET /images/json", "GET /images/**/json", "GET /images/**/history",
            "GET /networks", "GET /networks/*", "GET /volumes", "GET /volumes/*", "GET /exec/*/json");
    private static final List<String> RUN = List.of(
            "POST /containers/create", "POST /containers/*/start", "POST /containers/*/stop", "POST /containers/*/restart",
            "POST /containers/*/kill", "POST /containers/*/wait", "POST /containers/*/attach", "POST /containers/*/resize",
            "DELETE /containers/*", "POST /containers/*/exec", "POST /exec/*/start", "POST /exec/*/resize",
            "POST /images/create", "POST /images/load");
    private static final Map<String, List<String>> PRESETS = Map.of(
            "read-only", READ_ONLY,
            "run", concat(READ_ONLY, RUN),
            "all", List.of("* /**", "* /"));

    // Parsed once: an identity without rules gets read-only on every request.
    private static final Map<String, List<EndpointPattern>> PARSED = PRESETS.entrySet().stream().collect(
            java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().stream().map(EndpointPattern::parse).toList()));

    private Presets() {}

    static Optional<List<EndpointPattern>> named(String name) {
        return Optional.ofNullable(PARSED.get(name));
    }

    static java.util.Set<String> names() {
        return PRESETS.keySet();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
