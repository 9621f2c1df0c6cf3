package dev.portcullis.lint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Builds one typed instruction from a logical line: keyword, leading {@code --flags}, arguments. */
final class InstructionBuilder {
    private static final JsonFactory JSON = new JsonFactory();

    private InstructionBuilder() {}

    static Instruction build(String logical, Position at, DockerfileParser.HeredocReader heredocs) {
        String text = logical.strip();
        int space = indexOfSpace(text);
        String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : text.substring(space).strip();
        List<Flag> flags = new ArrayList<>();
        if (List.of("FROM", "RUN", "COPY", "ADD", "HEALTHCHECK").contains(keyword)) {
            while (rest.startsWith("--")) {
                int end = indexOfSpace(rest);
                flags.add(Flag.parse(end < 0 ? rest : rest.substring(0, end)));
                rest = end < 0 ? "" : rest.substring(end).strip();
            }
        }
        return switch (keyword) {
            case "FROM" -> from(text, at, flags, rest);
            case "RUN" -> new Instruction.Run(at, text, flags, arguments(require(rest, keyword, at), at),
                    heredocs.read(rest, at));
            case "CMD" -> new Instruction.Cmd(at, text, arguments(require(rest, keyword, at), at));
            case "ENTRYPOINT" -> new Instruction.Entrypoint(at, text, arguments(require(rest, keyword, at), at));
            case "SHELL" -> shell(text, at, rest);
            case "COPY", "ADD" -> copy(text, at, keyword.equals("ADD"), flags, rest, heredocs);
            case "ENV" -> new Instruction.Env(at, text, pairs(keyword, require(rest, keyword, at), at, true));
            case "LABEL" -> new Instruction.Label(at, text, pairs(keyword, require(rest, keyword, at), at, true));
            case "ARG" -> arg(text, at, require(rest, keyword, at));
            case "USER" -> new Instruction.User(at, text, unquote(require(rest, keyword, at)));
            case "WORKDIR" -> new Instruction.Workdir(at, text, unquote(require(rest, keyword, at)));
            case "EXPOSE" -> new Instruction.Expose(at, text, words(require(rest, keyword, at)));
            case "VOLUME" -> new Instruction.Volume(at, text, listOrWords(require(rest, keyword, at), at));
            case "HEALTHCHECK" -> healthcheck(text, at, flags, rest);
            case "STOPSIGNAL" -> new Instruction.StopSignal(at, text, require(rest, keyword, at));
            case "MAINTAINER" -> new Instruction.Maintainer(at, text, require(rest, keyword, at));
            case "ONBUILD" -> onbuild(text, at, require(rest, keyword, at), heredocs);
            default -> throw new DockerfileSyntaxException(at, "unknown instruction: " + printable(keyword));
        };
    }

    private static Instruction from(String text, Position at, List<Flag> flags, String rest) {
        List<String> w = words(require(rest, "FROM", at));
        if (w.size() == 1) {
            return new Instruction.From(at, text, flags, w.get(0), Optional.empty());
        }
        if (w.size() == 3 && w.get(1).equalsIgnoreCase("AS")) {
            return new Instruction.From(at, text, flags, w.get(0), Optional.of(w.get(2)));
        }
        throw new DockerfileSyntaxException(at, "FROM takes IMAGE [AS NAME], not '" + printable(rest) + "'");
    }

    private static Instruction shell(String text, Position at, String rest) {
        Arguments a = arguments(require(rest, "SHELL", at), at);
        if (!(a instanceof Arguments.ExecForm)) {
            throw new DockerfileSyntaxException(at, "SHELL requires the JSON form, e.g. SHELL [\"/bin/bash\", \"-c\"]");
        }
        return new Instruction.Shell(at, text, a);
    }

    private static Instruction copy(String text, Position at, boolean add, List<Flag> flags, String rest,
                                    DockerfileParser.HeredocReader heredocs) {
        List<String> args = listOrWords(require(rest, add ? "ADD" : "COPY", at), at);
        List<Heredoc> docs = heredocs.read(rest, at);
        if (args.size() < 2) {
            throw new DockerfileSyntaxException(at, (add ? "ADD" : "COPY") + " requires at least a source and a destination");
        }
        return new Instruction.Copy(at, text, add, flags, args.subList(0, args.size() - 1), args.get(args.size() - 1), docs);
    }

    private static Instruction arg(String text, Position at, String rest) {
        Map<String, Optional<String>> names = new LinkedHashMap<>();
        for (String w : tokens(rest, at)) {
            int eq = w.indexOf('=');
            String name = eq < 0 ? w : w.substring(0, eq);
            if (name.isEmpty()) {
                throw new DockerfileSyntaxException(at, "ARG has an empty name");
            }
            names.put(name, eq < 0 ? Optional.empty() : Optional.of(unquote(w.substring(eq + 1))));
        }
        return new Instruction.Arg(at, text, names);
    }

    private static Instruction healthcheck(String text, Position at, List<Flag> flags, String rest) {
        String r = require(rest, "HEALTHCHECK", at);
        if (r.equalsIgnoreCase("NONE")) {
            return new Instruction.Healthcheck(at, text, flags, Optional.empty());
        }
        int space = indexOfSpace(r);
        if (space < 0 || !r.substring(0, space).equalsIgnoreCase("CMD")) {
            throw new DockerfileSyntaxException(at, "HEALTHCHECK takes NONE or CMD <command>");
        }
        return new Instruction.Healthcheck(at, text, flags, Optional.of(arguments(r.substring(space).strip(), at)));
    }

    private static Instruction onbuild(String text, Position at, String rest, DockerfileParser.HeredocReader heredocs) {
        // ONBUILD ONBUILD/FROM/MAINTAINER parse, so that rule DL3043 can name them (as hadolint does).
        return new Instruction.Onbuild(at, text, build(rest.strip(), at, heredocs));
    }

    /**
     * Exec form when the text is a JSON array of strings; a JSON array holding anything else is refused
     * as BuildKit refuses it; any other text is, as Docker reads it, the shell form.
     */
    static Arguments arguments(String rest, Position at) {
        if (rest.startsWith("[")) {
            // The streaming parser alone: the object mapper would load some 300 classes into every lint run.
            try (JsonParser p = JSON.createParser(rest)) {
                if (p.nextToken() == JsonToken.START_ARRAY) {
                    List<String> argv = new ArrayList<>();
                    JsonToken t;
                    while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
                        argv.add(p.getText());
                    }
                    // Only strings up to the closing bracket, and nothing after it: else it is a shell command.
                    if (t == JsonToken.END_ARRAY && p.nextToken() == null) {
                        return new Arguments.ExecForm(argv);
                    }
                    if (t != null && t != JsonToken.END_ARRAY && wholeArray(p, t)) {
                        throw new DockerfileSyntaxException(at, "when using JSON array syntax, arrays must be comprised of strings only");
                    }
                }
            } catch (IOException e) {
                // not JSON: shell form
            }
        }
        return new Arguments.ShellForm(rest);
    }

    // Whether the rest of the text, from a value that is not a string, still closes one JSON array and ends.
    private static boolean wholeArray(JsonParser p, JsonToken at) throws IOException {
        JsonToken t = at;
        while (t != null && t != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                p.skipChildren();
            }
            t = p.nextToken();
        }
        return t == JsonToken.END_ARRAY && p.nextToken() == null;
    }

    private static List<String> listOrWords(String rest, Position at) {
        return arguments(rest, at) instanceof Arguments.ExecForm e ? e.argv() : words(rest);
    }

    /** {@code K=V K2="v 2"} pairs; with {@code legacy}, a first word without '=' is {@code K rest-of-line}. */
    private static Map<String, String> pairs(String keyword, String rest, Position at, boolean legacy) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> toks = tokens(rest, at);
        if (legacy && !toks.get(0).contains("=")) {
            int space = indexOfSpace(rest);
            if (space < 0) {
                // BuildKit's words: the old `KEY value` form needs the value.
                throw new DockerfileSyntaxException(at, keyword + " must have two arguments");
            }
            out.put(toks.get(0), space < 0 ? "" : unquote(rest.substring(space).strip()));
            return out;
        }
        for (String t : toks) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new DockerfileSyntaxException(at, "expected KEY=VALUE, not '" + printable(t) + "'");
            }
            out.put(unquote(t.substring(0, eq)), unquote(t.substring(eq + 1)));
        }
        return out;
    }

    /** Whitespace-separated tokens, keeping quoted runs (quotes retained) together. */
    static List<String> tokens(String s, Position at) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (quote != 0) {
                cur.append(c);
                if (c == '\\' && quote == '"' && k + 1 < s.length()) {
                    cur.append(s.charAt(++k));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                cur.append(c);
            } else if (c == '\\' && k + 1 < s.length()) {
                cur.append(c).append(s.charAt(++k));
            } else if (Character.isWhitespace(c)) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw new DockerfileSyntaxException(at, "unterminated " + (quote == '"' ? "double" : "single") + " quote");
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Removes surrounding and embedded quotes and backslash escapes, as the shell-like word parser does. */
    static String unquote(String s) {
        StringBuilder out = new StringBuilder();
        char quote = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else if (c == '\\' && quote != '\'' && k + 1 < s.length()) {
                out.append(s.charAt(++k));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<String> words(String s) {
        return List.of(s.strip().split("\\s+"));
    }

    private static String require(String rest, String keyword, Position at) {
        if (rest.isBlank()) {
            throw new DockerfileSyntaxException(at, keyword + " requires at least one argument");
        }
        return rest;
    }

    private static int indexOfSpace(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (Character.isWhitespace(s.charAt(k))) {
                return k;
            }
        }
        return -1;
    }

    static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
