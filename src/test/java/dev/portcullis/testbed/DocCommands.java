package dev.portcullis.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code portcullis} command lines of the documentation, as a reader copies them: every line of a
 * fenced {@code ```sh} block that starts with {@code ./portcullis} or {@code portcullis}, with its
 * backslash continuations joined, its trailing comment dropped and its blanks collapsed.
 */
public final class DocCommands {
    private static final Pattern FENCE_SH = Pattern.compile("^\\s*```sh\\s*$");
    private static final Pattern FENCE_END = Pattern.compile("^\\s*```\\s*$");
    private static final Pattern PORTCULLIS = Pattern.compile("^(\\./)?portcullis(\\s.*)?$");

    private DocCommands() {}

    /** One documented command: where it is written and the line to run. */
    public record Command(String source, int line, String text) {
        @Override
        public String toString() {
            return source + ":" + line + ": " + text;
        }
    }

    /** README.md and every Markdown file under docs/, in that order. */
    public static List<Command> ofProject(Path root) throws IOException {
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Command> out = new ArrayList<>();
        for (Path f : files) {
            out.addAll(extract(root.relativize(f).toString(), Files.readAllLines(f)));
        }
        return out;
    }

    static List<Command> extract(String source, List<String> lines) {
        List<Command> out = new ArrayList<>();
        boolean inSh = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!inSh) {
                inSh = FENCE_SH.matcher(line).matches();
                continue;
            }
            if (FENCE_END.matcher(line).matches()) {
                inSh = false;
                continue;
            }
            int first = i;
            StringBuilder cmd = new StringBuilder(stripComment(line).strip());
            while (cmd.toString().endsWith("\\") && i + 1 < lines.size()) {
                cmd.setLength(cmd.length() - 1);
                cmd.append(' ').append(stripComment(lines.get(++i)).strip());
            }
            String text = cmd.toString().strip().replaceAll("\\s+", " ");
            if (PORTCULLIS.matcher(text).matches()) {
                out.add(new Command(source, first + 1, text));
            }
        }
        return out;
    }

    // A # that starts a word outside quotes begins a comment, as in the shell.
    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
