package dev.portcullis.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed Dockerfile: its parser directives, the instructions in order, and the comments (for
 * {@code # hadolint ignore=} pragmas) by line.
 */
public record Dockerfile(String name, Map<String, String> directives, List<Instruction> instructions,
                         Map<Integer, String> comments) {
    public Dockerfile {
        directives = Map.copyOf(directives);
        instructions = List.copyOf(instructions);
        comments = Map.copyOf(comments);
    }

    /** Parses text; throws {@link DockerfileSyntaxException} with the position of a syntax error. */
    public static Dockerfile parse(String name, String text) {
        return new DockerfileParser(text).parse(name);
    }

    /**
     * The build stages: each FROM with the instructions up to the next FROM. Instructions other than
     * ARG before the first FROM (BuildKit refuses such a file) make a stage of their own on
     * {@code scratch}, as hadolint pretends, so that a fragment without FROM is still judged.
     */
    public List<Stage> stages() {
        List<Stage> out = new ArrayList<>();
        Instruction.From current = null;
        List<Instruction> body = new ArrayList<>();
        for (Instruction i : instructions) {
            if (i instanceof Instruction.From f) {
                if (current != null) {
                    out.add(new Stage(out.size(), current, body));
                }
                current = f;
                body = new ArrayList<>();
            } else if (current != null) {
                body.add(i);
            } else if (!(i instanceof Instruction.Arg)) {
                current = new Instruction.From(i.position(), "", List.of(), "scratch", Optional.empty());
                body.add(i);
            }
        }
        if (current != null) {
            out.add(new Stage(out.size(), current, body));
        }
        return out;
    }

    /** The ARGs declared before the first FROM, with their defaults: they may be used in FROM lines. */
    public Map<String, Optional<String>> globalArgs() {
        Map<String, Optional<String>> out = new java.util.LinkedHashMap<>();
        for (Instruction i : instructions) {
            if (i instanceof Instruction.From) {
                break;
            }
            if (i instanceof Instruction.Arg a) {
                out.putAll(a.names());
            }
        }
        return out;
    }

    /** One build stage. */
    public record Stage(int index, Instruction.From from, List<Instruction> instructions) {
        public Stage {
            instructions = List.copyOf(instructions);
        }
    }
}
