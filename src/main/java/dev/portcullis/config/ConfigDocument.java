package dev.portcullis.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A configuration file read once at start: the YAML tree with line numbers, plus the environment
 * whose {@code PORTCULLIS_<SECTION>_<KEY>} variables override it.
 */
public final class ConfigDocument {
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    /** Variables of Portcullis's own that are not settings of {@code serve}: the launcher's and the client commands'. */
    public static final Set<String> NOT_SETTINGS = Set.of("PORTCULLIS_JAVA_OPTS", "PORTCULLIS_SERVER", "PORTCULLIS_TOKEN_FILE",
            "PORTCULLIS_ADMIN_TOKEN", "PORTCULLIS_LINT_CORPUS");

    /** The prefix of {@code engine-guard}'s variables: a process of its own, which may share serve's environment. */
    public static final String ENGINE_GUARD = "PORTCULLIS_ENGINE_GUARD_";

    private final ConfigSection root;
    private final Map<String, String> environment;
    private final Set<String> known;

    private ConfigDocument(ConfigSection root, Map<String, String> environment, Set<String> known) {
        this.root = root;
        this.environment = environment;
        this.known = known;
    }

    /** Reads a file; a missing or unreadable file is a {@link ConfigException} naming it. */
    public static ConfigDocument load(Path file, Map<String, String> environment) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(file + ": configuration file is larger than 4 MiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read configuration file: " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": configuration file is not valid UTF-8");
        }
        return parse(text, file.toString(), environment);
    }

    /** Parses YAML text; {@code sourceName} names it in error messages. */
    public static ConfigDocument parse(String yaml, String sourceName, Map<String, String> environment) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(MAX_BYTES);
        Node node;
        try {
            node = new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(sourceName + " line " + line + ": invalid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(sourceName + ": invalid YAML: " + e.getMessage());
        }
        if (node != null && !(node instanceof MappingNode)) {
            throw new ConfigException(sourceName + " line " + (node.getStartMark().getLine() + 1)
                    + ": the configuration must be a mapping of sections");
        }
        Set<String> known = new HashSet<>();
        Map<String, String> env = Map.copyOf(environment);
        return new ConfigDocument(new ConfigSection(sourceName, "", (MappingNode) node, env, known), env, known);
    }

    /** An empty document: every value comes from defaults and the environment. */
    public static ConfigDocument empty(Map<String, String> environment) {
        Set<String> known = new HashSet<>();
        Map<String, String> env = Map.copyOf(environment);
        return new ConfigDocument(new ConfigSection("(defaults)", "", null, env, known), env, known);
    }

    public ConfigSection root() {
        return root;
    }

    /**
     * Call once every section has been read: stops the start at a {@code PORTCULLIS_*} variable that no
     * section knows, naming the closest one that is (a typo would otherwise leave the default in force).
     */
    public void rejectUnknownEnvironment() {
        for (String name : new java.util.TreeSet<>(environment.keySet())) {
            if (name.startsWith("PORTCULLIS_") && !name.startsWith("PORTCULLIS_TEST_") && !known.contains(name)
                    && !NOT_SETTINGS.contains(name) && !name.startsWith(ENGINE_GUARD)) {
                String closest = closest(name);
                throw new ConfigException("environment variable " + name + " matches no setting of this configuration"
                        + (closest == null ? "" : " (did you mean " + closest + "?)")
                        + ": unset it, or fix its name, so that it does not leave a default in force unnoticed");
            }
        }
    }

    /** Every environment variable name a setting read so far answers to, sorted. */
    public List<String> knownVariables() {
        return known.stream().sorted().toList();
    }

    private String closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(3, name.length() / 4) ? best : null;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
