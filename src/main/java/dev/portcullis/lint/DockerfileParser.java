package dev.portcullis.lint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Dockerfile text into a {@link Dockerfile}: parser directives, logical lines (continuations with
 * the escape character, comments and blank lines inside them skipped), here-documents, and one typed
 * instruction per logical line.
 */
final class DockerfileParser {
    static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([a-zA-Z][a-zA-Z0-9_-]*)\\s*=\\s*(.*?)\\s*");
    private static final Set<String> KNOWN_DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final Pattern HEREDOC = Pattern.compile("(?<!<)<<(?!<)(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\2");

    private final String[] lines;
    private char escape = '\\';
    private int i;
    private final Map<String, String> directives = new LinkedHashMap<>();
    private final Map<Integer, String> comments = new LinkedHashMap<>();

    DockerfileParser(String text) {
        if (text.length() > MAX_BYTES) {
            throw new DockerfileSyntaxException(new Position(1, 1), "file is larger than 4 MiB");
        }
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.lines = t.split("\r?\n", -1);
    }

    Dockerfile parse(String name) {
        readDirectives();
        List<Instruction> out = new ArrayList<>();
        while (i < lines.length) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                i++;
                continue;
            }
            if (trimmed.startsWith("#")) {
                comments.put(i + 1, trimmed);
                i++;
                continue;
            }
            int column = line.indexOf(trimmed.charAt(0)) + 1;
            Position at = new Position(i + 1, column);
            String logical = logicalLine(line.substring(column - 1));
            out.add(InstructionBuilder.build(logical, at, this::heredocs));
        }
        if (out.isEmpty()) {
            // BuildKit refuses an empty file, or one of comments only, in these words.
            throw new DockerfileSyntaxException(new Position(1, 1), "file with no instructions");
        }
        return new Dockerfile(name, directives, out, comments);
    }

    private void readDirectives() {
        while (i < lines.length) {
            Matcher m = DIRECTIVE.matcher(lines[i]);
            if (!m.matches()) {
                return;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            if (!KNOWN_DIRECTIVES.contains(key)) {
                comments.put(i + 1, lines[i].strip());
                i++;
                continue;
            }
            if (directives.containsKey(key)) {
                throw new DockerfileSyntaxException(new Position(i + 1, 1), "parser directive '" + key + "' given twice");
            }
            String value = m.group(2);
            if (key.equals("escape")) {
                if (!value.equals("\\") && !value.equals("`")) {
                    throw new DockerfileSyntaxException(new Position(i + 1, 1),
                            "invalid escape directive '" + value + "': must be \\ or `");
                }
                escape = value.charAt(0);
            }
            directives.put(key, value);
            comments.put(i + 1, lines[i].strip());
            i++;
        }
    }

    // Joins continuation lines; comment and blank lines inside a continuation are dropped, as BuildKit does.
    private String logicalLine(String first) {
        StringBuilder sb = new StringBuilder();
        String current = first;
        while (true) {
            String r = current.stripTrailing();
            i++;
            if (!r.isEmpty() && r.charAt(r.length() - 1) == escape) {
                sb.append(r, 0, r.length() - 1);
                while (i < lines.length && (lines[i].isBlank() || lines[i].stripLeading().startsWith("#"))) {
                    if (!lines[i].isBlank()) {
                        comments.put(i + 1, lines[i].strip());
                    }
                    i++;
                }
                if (i >= lines.length) {
                    return sb.toString();
                }
                current = lines[i];
                continue;
            }
            sb.append(r);
            return sb.toString();
        }
    }

    /** Reads the bodies of the here-documents a RUN, COPY or ADD line opened, from the lines after it. */
    private List<Heredoc> heredocs(String logical, Position at) {
        List<Heredoc> out = new ArrayList<>();
        Matcher m = HEREDOC.matcher(logical);
        while (m.find()) {
            boolean strip = !m.group(1).isEmpty();
            String word = m.group(3);
            StringBuilder body = new StringBuilder();
            boolean closed = false;
            while (i < lines.length) {
                String l = lines[i++];
                String candidate = strip ? l.replaceFirst("^\t+", "") : l;
                if (candidate.equals(word)) {
                    closed = true;
                    break;
                }
                body.append(candidate).append('\n');
            }
            if (!closed) {
                throw new DockerfileSyntaxException(at, "here-document '" + word + "' is not closed");
            }
            out.add(new Heredoc(word, strip, m.group(2).isEmpty(), body.toString()));
        }
        return out;
    }

    /** Supplies the here-documents of one instruction. */
    @FunctionalInterface
    interface HeredocReader {
        List<Heredoc> read(String logical, Position at);
    }
}
