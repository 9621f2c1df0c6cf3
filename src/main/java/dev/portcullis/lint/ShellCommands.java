package dev.portcullis.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * A light reading of a shell command line, enough for the rules that look at RUN: the simple commands
 * separated by {@code && || ; | &} and newlines, each as its words with quotes removed. No expansion.
 */
record ShellCommands(List<List<String>> commands, List<String> separators) {

    static ShellCommands of(Arguments args) {
        return switch (args) {
            case Arguments.ExecForm e -> new ShellCommands(List.of(e.argv()), List.of());
            case Arguments.ShellForm s -> parse(s.text());
        };
    }

    static ShellCommands parse(String text) {
        List<List<String>> commands = new ArrayList<>();
        List<String> separators = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && k + 1 < text.length()) {
                    word.append(text.charAt(++k));
                } else {
                    word.append(c);
                }
                continue;
            }
            switch (c) {
                case '\'', '"' -> quote = c;
                case '\\' -> {
                    if (k + 1 < text.length()) {
                        word.append(text.charAt(++k));
                    }
                }
                case ' ', '\t' -> flush(word, words);
                case '&', '|', ';', '\n' -> {
                    flush(word, words);
                    String sep = String.valueOf(c);
                    if ((c == '&' || c == '|') && k + 1 < text.length() && text.charAt(k + 1) == c) {
                        sep = sep + c;
                        k++;
                    }
                    if (!words.isEmpty()) {
                        commands.add(List.copyOf(words));
                        separators.add(sep);
                        words.clear();
                    }
                }
                default -> word.append(c);
            }
        }
        flush(word, words);
        if (!words.isEmpty()) {
            commands.add(List.copyOf(words));
        }
        return new ShellCommands(commands, separators);
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** Commands whose program (after {@code sudo}/{@code env} prefixes) is {@code name}. */
    List<List<String>> invocations(String name) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> c : commands) {
            List<String> w = c;
            while (!w.isEmpty() && (w.get(0).equals("sudo") || w.get(0).equals("env") || w.get(0).contains("=") && !w.get(0).startsWith("-"))) {
                w = w.subList(1, w.size());
            }
            if (!w.isEmpty() && (w.get(0).equals(name) || w.get(0).endsWith("/" + name))) {
                out.add(w);
            }
        }
        return out;
    }

    /** Invocations of {@code program} whose first non-option argument is {@code subcommand}. */
    List<List<String>> invocations(String program, String subcommand) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> c : invocations(program)) {
            for (String w : c.subList(1, c.size())) {
                if (!w.startsWith("-")) {
                    if (w.equals(subcommand)) {
                        out.add(c);
                    }
                    break;
                }
            }
        }
        return out;
    }

    /** Whether any command is a pipe ({@code |}) into another. */
    boolean hasPipe() {
        return separators.contains("|");
    }
}
