package dev.portcullis.lint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SARIF 2.1.0, for code-scanning upload: one run, the rule catalogue, one result per finding. */
final class Sarif {
    private Sarif() {}

    static Map<String, Object> of(List<Finding> findings) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (String[] r : Linter.ruleTable()) {
            rules.add(Map.of("id", r[0], "shortDescription", Map.of("text", r[2]),
                    "helpUri", "https://github.com/hadolint/hadolint/wiki/" + r[0]));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> region = Map.of("startLine", f.position().line(), "startColumn", f.position().column());
            Map<String, Object> location = Map.of("physicalLocation", Map.of(
                    "artifactLocation", Map.of("uri", f.file()), "region", region));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.code());
            result.put("level", switch (f.severity()) {
                case ERROR -> "error";
                case WARNING -> "warning";
                case INFO, STYLE, IGNORE -> "note";
            });
            result.put("message", Map.of("text", f.message()));
            result.put("locations", List.of(location));
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "portcullis-lint");
        driver.put("informationUri", "https://github.com/hadolint/hadolint");
        driver.put("rules", rules);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        out.put("version", "2.1.0");
        out.put("runs", List.of(Map.of("tool", Map.of("driver", driver), "results", results)));
        return out;
    }
}
