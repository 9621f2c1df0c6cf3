package dev.portcullis.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    private final ConfigSection root;

    private ConfigDocument(ConfigSection root) {
        this.root = root;
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
        return new ConfigDocument(new ConfigSection(sourceName, "", (MappingNode) node, Map.copyOf(environment)));
    }

    /** An empty document: every value comes from defaults and the environment. */
    public static ConfigDocument empty(Map<String, String> environment) {
        return new ConfigDocument(new ConfigSection("(defaults)", "", null, Map.copyOf(environment)));
    }

    public ConfigSection root() {
        return root;
    }
}
