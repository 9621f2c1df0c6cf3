package dev.portcullis.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.StrictJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A rules file from what the guard saw: every request it allowed, or allowed in learning mode while
 * the rules would have denied it, per identity, with container, exec and image names made
 * wildcards, and the create settings the learned containers needed.
 */
public final class RuleSuggestions {
    private static final Set<String> NOT_IDS = Set.of("json", "create", "prune");
    private static final Set<String> NAMED = Set.of("containers", "exec", "networks", "volumes", "plugins", "secrets", "configs");

    private final Map<String, Suggested> byIdentity = new TreeMap<>();
    private int decisions;

    /** What one identity did. */
    private static final class Suggested {
        final Set<String> endpoints = new TreeSet<>();
        final Set<String> needs = new TreeSet<>();
    }

    /** Reads every {@code .jsonl} segment of the audit directory, oldest first. */
    public static RuleSuggestions fromAuditDir(Path dir) {
        RuleSuggestions s = new RuleSuggestions();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        s.add(StrictJson.read(line.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the audit log in " + dir + ": " + e.getMessage(), e);
        } catch (StrictJson.InvalidJsonException e) {
            throw new IllegalArgumentException("a line of the audit log in " + dir + " is not JSON: " + e.getMessage(), e);
        }
        return s;
    }

    void add(JsonNode e) {
        String decision = e.path("decision").asText();
        if (!e.path("capability").asText().equals("engine") || !e.path("action").asText().equals("request")
                || !(decision.equals("allow") || decision.equals("learn"))) {
            return;
        }
        String[] endpoint = e.path("object").asText().split(" ", 2);
        if (endpoint.length != 2) {
            return;
        }
        decisions++;
        Suggested s = byIdentity.computeIfAbsent(e.path("subject").asText(), k -> new Suggested());
        s.endpoints.add(endpoint[0] + " " + generalise(endpoint[1]));
        String detail = e.path("detail").asText("");
        if (detail.startsWith("needs: ")) {
            s.needs.addAll(List.of(detail.substring(7).split("; ")));
        }
    }

    /** {@code /containers/3f2a/start} as {@code /containers/*\/start}, {@code /images/a/b:1/json} as {@code /images/**\/json}. */
    static String generalise(String path) {
        List<String> s = new ArrayList<>(List.of(path.substring(1).split("/")));
        if (s.size() >= 2 && NAMED.contains(s.getFirst()) && !NOT_IDS.contains(s.get(1))) {
            s.set(1, "*");
        } else if (s.size() >= 2 && s.getFirst().equals("images") && !NOT_IDS.contains(s.get(1)) && !s.get(1).equals("load")
                && !s.get(1).equals("search")) {
            boolean action = s.size() >= 3 && Set.of("json", "history", "push", "tag", "get").contains(s.getLast());
            String last = s.getLast();
            s = new ArrayList<>(List.of("images", "**"));
            if (action) {
                s.add(last);
            }
        }
        return "/" + String.join("/", s);
    }

    /** The rules file's YAML. */
    public String yaml(Path from) {
        StringBuilder b = new StringBuilder("# Suggested by portcullis engine-guard suggest-rules from " + decisions
                + " allowed or learned requests in " + from + ".\n# Review before use: it allows what was done, no more.\n");
        b.append("identities:\n");
        byIdentity.forEach((id, s) -> {
            b.append("  ").append(quote(id)).append(":\n    endpoints:\n");
            s.endpoints.forEach(e -> b.append("      - ").append(quote(e)).append('\n'));
            List<String> binds = new ArrayList<>();
            List<String> caps = new ArrayList<>();
            for (String need : s.needs) {
                String[] kv = need.split("=", 2);
                switch (kv[0]) {
                    case "binds" -> binds.add(kv[1]);
                    case "cap_add" -> caps.add(kv[1]);
                    case "privileged", "host_namespaces", "devices", "unconfined" -> b.append("    ").append(kv[0]).append(": true\n");
                    default -> b.append("    # also needed, not expressible as a rule: ").append(need).append('\n');
                }
            }
            if (!binds.isEmpty()) {
                b.append("    binds: [").append(String.join(", ", binds.stream().map(RuleSuggestions::quote).toList())).append("]\n");
            }
            if (!caps.isEmpty()) {
                b.append("    cap_add: [").append(String.join(", ", caps)).append("]\n");
            }
        });
        return b.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
