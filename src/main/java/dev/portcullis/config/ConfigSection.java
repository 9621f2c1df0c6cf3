package dev.portcullis.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One mapping of the configuration (a section such as {@code server}, or an ACL entry). Every typed
 * getter first looks for the environment override {@code PORTCULLIS_<PATH>_<KEY>}, then the YAML, and
 * names the key, the file and the line in any error.
 */
public final class ConfigSection {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(B|KB|KiB|MB|MiB|GB|GiB|TB|TiB)?", Pattern.CASE_INSENSITIVE);

    private final String source;
    private final String path;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Node node;
    private final Map<String, String> environment;
    /** Every environment variable name a section of this document knows, shared by its sections. */
    private final Set<String> known;

    ConfigSection(String source, String path, MappingNode node, Map<String, String> environment, Set<String> known) {
        this.source = source;
        this.path = path;
        this.node = node;
        this.environment = environment;
        this.known = known;
        if (node != null) {
            for (NodeTuple tuple : node.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new ConfigException(where(tuple.getKeyNode()) + ": keys must be plain strings");
                }
                if (entries.putIfAbsent(key.getValue(), tuple) != null) {
                    throw new ConfigException(where(key) + ": duplicate key " + qualified(key.getValue()));
                }
            }
        }
    }

    /** The dotted path of this section, e.g. {@code server} or {@code acl[3]}. */
    public String path() {
        return path;
    }

    /** Whether the file has this key (environment overrides do not count). */
    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The keys present in the file, in file order. */
    public Set<String> keys() {
        return new LinkedHashSet<>(entries.keySet());
    }

    /** Stops the start when the file has a key this section does not know: a typo is never silently ignored. */
    public void rejectUnknown(Set<String> known) {
        for (String k : known) {
            this.known.add(envName(k));
        }
        for (var e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new ConfigException(where(e.getValue().getKeyNode()) + ": unknown key " + qualified(e.getKey())
                        + " (known keys: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    public Optional<String> string(String key) {
        known.add(envName(key));
        String env = environment.get(envName(key));
        if (env != null) {
            return Optional.of(env);
        }
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return Optional.empty();
        }
        if (!(tuple.getValueNode() instanceof ScalarNode scalar)) {
            throw error(key, "must be a single value");
        }
        return Optional.of(scalar.getValue());
    }

    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    public String requireString(String key) {
        return string(key).filter(s -> !s.isBlank()).orElseThrow(() -> error(key, "is required"));
    }

    public Optional<Secret> secret(String key) {
        return string(key).map(Secret::of);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get().trim());
        } catch (NumberFormatException e) {
            throw error(key, "must be a whole number, not '" + raw.get() + "'");
        }
        if (value < min || value > max) {
            throw error(key, "must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(key, "must be true or false, not '" + raw.get() + "'");
        };
    }

    /** A duration written as seconds ({@code 300}) or with a unit ({@code 500ms}, {@code 5m}, {@code 1h}). */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(raw.get().trim());
        if (!m.matches() || m.group(1).length() > 9) {
            throw error(key, "must be a duration such as 300, 30s, 5m or 1h, not '" + raw.get() + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A duration as {@link #duration} reads it back, in its largest whole unit: {@code 90d}, {@code 12h}, {@code 5m}, {@code 30s}. */
    public static String durationText(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        return s % 3_600 == 0 ? s / 3_600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /**
     * A size in bytes, written as a number of bytes ({@code 1048576}) or with a unit ({@code 64KB},
     * {@code 500MB}, {@code 1GB}, {@code 2TB}); units count in powers of 1024, and {@code GiB} is
     * read as {@code GB}.
     */
    public long bytes(String key, long defaultValue) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(raw.get().trim());
        if (!m.matches()) {
            throw error(key, "must be a size such as 500MB or 1GB, not '" + raw.get() + "'");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        if (n > Long.MAX_VALUE >> shift) {
            throw error(key, "is too large: '" + raw.get() + "'");
        }
        return n << shift;
    }

    /** A list of strings; a single scalar counts as a one-element list; the environment form is comma-separated. */
    public List<String> stringList(String key) {
        known.add(envName(key));
        String env = environment.get(envName(key));
        if (env != null) {
            return env.isBlank() ? List.of() : List.of(env.split(",")).stream().map(String::trim).toList();
        }
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return List.of();
        }
        Node value = tuple.getValueNode();
        if (value instanceof ScalarNode scalar) {
            return List.of(scalar.getValue());
        }
        if (!(value instanceof SequenceNode seq)) {
            throw error(key, "must be a list of values");
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof ScalarNode s)) {
                throw new ConfigException(where(item) + ": " + qualified(key) + " must hold plain values");
            }
            out.add(s.getValue());
        }
        return List.copyOf(out);
    }

    /** A nested mapping; an absent one is empty, so environment overrides still apply to it. */
    public ConfigSection section(String key) {
        NodeTuple tuple = entries.get(key);
        MappingNode mapping = null;
        if (tuple != null && !isNull(tuple.getValueNode())) {
            if (!(tuple.getValueNode() instanceof MappingNode m)) {
                throw error(key, "must be a mapping of keys to values");
            }
            mapping = m;
        }
        return new ConfigSection(source, qualified(key), mapping, environment, known);
    }

    /** A list of mappings, such as the entries of {@code acl}. */
    public List<ConfigSection> sectionList(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null || isNull(tuple.getValueNode())) {
            return List.of();
        }
        if (!(tuple.getValueNode() instanceof SequenceNode seq)) {
            throw error(key, "must be a list");
        }
        List<ConfigSection> out = new ArrayList<>();
        int i = 0;
        for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode m)) {
                throw new ConfigException(where(item) + ": " + qualified(key) + "[" + i + "] must be a mapping");
            }
            out.add(new ConfigSection(source, qualified(key) + "[" + i + "]", m, Map.of(), new java.util.HashSet<>()));
            i++;
        }
        return List.copyOf(out);
    }

    /** A mapping of string keys to string values (e.g. {@code labels}); a list value is joined with commas. */
    public Map<String, List<String>> stringMultiMap(String key) {
        ConfigSection nested = section(key);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k : nested.keys()) {
            out.put(k, nested.stringList(k));
        }
        return Map.copyOf(out);
    }

    /**
     * A file the key names, checked now that it can be read: a missing or unreadable file stops the
     * start with this key's line, not later with only the path.
     */
    public Optional<java.nio.file.Path> readableFile(String key) {
        Optional<java.nio.file.Path> file = string(key).map(java.nio.file.Path::of);
        if (file.isPresent()) {
            java.nio.file.Path f = file.get();
            if (!java.nio.file.Files.exists(f)) {
                throw error(key, "names " + f + ", which does not exist");
            }
            if (!java.nio.file.Files.isRegularFile(f) || !java.nio.file.Files.isReadable(f)) {
                throw error(key, "names " + f + ", which is not a file this process can read");
            }
        }
        return file;
    }

    /** An error that names the key, the file and the line of the key (or the environment variable). */
    public ConfigException error(String key, String problem) {
        String env = envName(key);
        if (environment.containsKey(env)) {
            return new ConfigException("environment variable " + env + " (" + qualified(key) + "): " + problem);
        }
        NodeTuple tuple = entries.get(key);
        String location = tuple == null ? (node == null ? source : where(node)) : where(tuple.getKeyNode());
        return new ConfigException(location + ": " + qualified(key) + " " + problem);
    }

    /** The line of one key, for callers that report errors in values they parse themselves. */
    public String locationOf(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? source : where(tuple.getKeyNode());
    }

    /** Where this section begins, for messages about the section as a whole. */
    public String location() {
        return node == null ? source : where(node);
    }

    /** The environment variable that overrides a key of this section. */
    public String envName(String key) {
        String p = path.isEmpty() ? key : path + "_" + key;
        return "PORTCULLIS_" + p.replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String where(Node n) {
        return source + " line " + (n.getStartMark().getLine() + 1);
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && "tag:yaml.org,2002:null".equals(s.getTag().getValue());
    }
}
