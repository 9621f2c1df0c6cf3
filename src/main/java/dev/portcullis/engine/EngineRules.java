package dev.portcullis.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The guard's rules file: per identity (a SPIFFE ID or a certificate's CN) its endpoints (patterns
 * or presets) and what its containers may ask for; {@code default} for identities not named
 * (without it they get {@code read-only}); {@code max_body}, the most of a body the rules read;
 * {@code learning}, allow what the rules would deny and log it.
 */
public record EngineRules(Map<String, IdentityRules> identities, Optional<IdentityRules> fallback, int maxBody, boolean learning) {
    public static final int DEFAULT_MAX_BODY = 1024 * 1024;
    private static final Set<String> TOP = Set.of("identities", "default", "max_body", "learning");
    private static final Set<String> KEYS = Set.of("endpoints", "privileged", "host_namespaces", "devices", "unconfined",
            "binds", "cap_add", "owner_only");

    public EngineRules {
        identities = Map.copyOf(identities);
        if (maxBody < 1024 || maxBody > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("max_body must be between 1024 and 67108864 bytes");
        }
    }

    /** No rules file: every identity read-only. */
    public static EngineRules readOnlyForAll() {
        return new EngineRules(Map.of(), Optional.empty(), DEFAULT_MAX_BODY, false);
    }

    public IdentityRules forIdentity(String identity) {
        IdentityRules r = identities.get(identity);
        if (r != null) {
            return r;
        }
        return fallback.map(f -> f.forIdentity(identity)).orElseGet(() -> IdentityRules.readOnly(identity));
    }

    /** Reads a rules file; {@link IllegalArgumentException} naming the file and the key that is wrong. */
    public static EngineRules read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static EngineRules parse(String yaml, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a mapping with 'identities' expected");
        }
        unknown(root, TOP, source, "");
        Map<String, IdentityRules> ids = new LinkedHashMap<>();
        JsonNode list = root.path("identities");
        if (!list.isMissingNode() && !list.isObject()) {
            throw new IllegalArgumentException(source + ": identities must be a mapping of identity to rules");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ids.put(e.getKey(), identity(e.getKey(), e.getValue(), source, "identities." + e.getKey()));
        }
        Optional<IdentityRules> fallback = root.has("default")
                ? Optional.of(identity("default", root.get("default"), source, "default")) : Optional.empty();
        int maxBody = root.has("max_body") ? number(root.get("max_body"), source, "max_body") : DEFAULT_MAX_BODY;
        boolean learning = bool(root, "learning", source, "");
        try {
            return new EngineRules(ids, fallback, maxBody, learning);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static IdentityRules identity(String id, JsonNode n, String source, String at) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(source + ": " + at + " must be a mapping");
        }
        unknown(n, KEYS, source, at + ".");
        List<EndpointPattern> endpoints = new ArrayList<>();
        for (String text : strings(n.path("endpoints"), source, at + ".endpoints")) {
            try {
                endpoints.addAll(Presets.named(text).orElseGet(() -> {
                    if (!text.contains(" ")) {
                        throw new IllegalArgumentException("'" + text + "' is neither a preset " + new java.util.TreeSet<>(Presets.names())
                                + " nor 'METHOD /path'");
                    }
                    return List.of(EndpointPattern.parse(text));
                }));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + at + ".endpoints: " + e.getMessage(), e);
            }
        }
        Set<String> caps = new HashSet<>();
        strings(n.path("cap_add"), source, at + ".cap_add").forEach(c -> caps.add(capability(c)));
        try {
            return new IdentityRules(id, endpoints, bool(n, "privileged", source, at), bool(n, "host_namespaces", source, at),
                    bool(n, "devices", source, at), bool(n, "unconfined", source, at), strings(n.path("binds"), source, at + ".binds"),
                    caps, !n.has("owner_only") || bool(n, "owner_only", source, at));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** {@code NET_ADMIN}, {@code CAP_NET_ADMIN} and {@code net_admin} are one capability to the engine. */
    static String capability(String c) {
        String u = c.strip().toUpperCase(java.util.Locale.ROOT);
        return u.startsWith("CAP_") ? u.substring(4) : u;
    }

    private static void unknown(JsonNode n, Set<String> known, String source, String at) {
        n.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(source + ": unknown key " + at + k + " (known: " + new java.util.TreeSet<>(known) + ")");
            }
        });
    }

    private static List<String> strings(JsonNode n, String source, String at) {
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(source + ": " + at + " must be a list");
        }
        List<String> out = new ArrayList<>();
        n.forEach(v -> {
            if (!v.isTextual()) {
                throw new IllegalArgumentException(source + ": " + at + " holds " + v + ", not a string");
            }
            out.add(v.asText());
        });
        return out;
    }

    private static boolean bool(JsonNode n, String key, String source, String at) {
        JsonNode v = n.path(key);
        if (v.isMissingNode()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(source + ": " + (at.isEmpty() ? "" : at + ".") + key + " must be true or false");
        }
        return v.asBoolean();
    }

    private static int number(JsonNode v, String source, String key) {
        if (!v.isInt()) {
            throw new IllegalArgumentException(source + ": " + key + " must be a number of bytes");
        }
        return v.asInt();
    }
}
