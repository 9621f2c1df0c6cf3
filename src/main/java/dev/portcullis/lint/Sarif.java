package dev.portcullis.lint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SARIF 2.1.0, for code-scanning upload: one run, the rule catalogue, one result per finding. */
final class Sarif {
    private Sarif() {}

    static Map<String, Object> of(List<Finding> findings, String toolVersion) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (String[] r : Linter.ruleTable()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("id", r[0]);
            rule.put("shortDescription", Map.of("text", r[2]));
            rule.put("defaultConfiguration", Map.of("level", level(Severity.parse(r[1]))));
            if (r[0].startsWith("DL")) {
                // hadolint's rules are documented, rule by rule, in its wiki; the meaning here is the same.
                rule.put("helpUri", "https://github.com/hadolint/hadolint/wiki/" + r[0]);
            } else {
                rule.put("help", Map.of("text", r[2] + " (Portcullis policy rule " + r[0] + ", see docs/lint-rules.md)"));
            }
            rules.add(rule);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> region = Map.of("startLine", f.position().line(), "startColumn", f.position().column());
            Map<String, Object> location = Map.of("physicalLocation", Map.of(
                    "artifactLocation", Map.of("uri", f.file()), "region", region));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.code());
            result.put("level", level(f.severity()));
            result.put("message", Map.of("text", f.message()));
            result.put("locations", List.of(location));
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "Portcullis");
        driver.put("fullName", "Portcullis Dockerfile linter");
        driver.put("version", toolVersion);
        driver.put("rules", rules);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        out.put("version", "2.1.0");
        out.put("runs", List.of(Map.of("tool", Map.of("driver", driver), "results", results)));
        return out;
    }

    private static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO, STYLE -> "note";
            case IGNORE -> "none";
        };
    }
}
