package dev.portcullis.lint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The flags and arguments of one shell command as hadolint reads them: {@code --name} and {@code --name=value}
 * give {@code name}; {@code -abc} gives {@code a}, {@code b} and {@code c}; {@code -} and {@code --}
 * are arguments, not flags.
 */
final class ShellFlags {
    private ShellFlags() {}

    /** The flag names of {@code command} (its name first, then its words), as often as they are given. */
    static List<String> of(List<String> command) {
        List<String> out = new ArrayList<>();
        for (String w : command.subList(Math.min(1, command.size()), command.size())) {
            if (w.equals("-") || w.equals("--") || !w.startsWith("-")) {
                continue;
            }
            if (w.startsWith("--")) {
                int eq = w.indexOf('=');
                out.add(eq < 0 ? w.substring(2) : w.substring(2, eq));
            } else {
                for (int k = 1; k < w.length(); k++) {
                    out.add(String.valueOf(w.charAt(k)));
                }
            }
        }
        return out;
    }

    /** Whether {@code command} has any of these flags. */
    static boolean hasAny(List<String> command, String... names) {
        List<String> flags = of(command);
        for (String n : names) {
            if (flags.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /** How many times {@code command} gives the flag {@code name} ({@code -qq} gives {@code q} twice). */
    static int count(List<String> command, String name) {
        return Collections.frequency(of(command), name);
    }

    /** The arguments that are not flags ("-" and "--" are arguments, as hadolint reads them). */
    static List<String> argsNoFlags(List<String> c) {
        return c.subList(1, c.size()).stream().filter(a -> !a.startsWith("-") || a.equals("-") || a.equals("--")).toList();
    }

    /** The command without the word after each of these flags (unless the flag carries its value after '='). */
    static List<String> dropFlagValues(List<String> c, Set<String> flags) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < c.size(); k++) {
            String w = c.get(k);
            out.add(w);
            if (k > 0 && w.startsWith("-") && !w.contains("=") && !w.equals("-") && !w.equals("--")) {
                String name = w.startsWith("--") ? w.substring(2) : w.substring(w.length() - 1);
                if (flags.contains(name) && k + 1 < c.size()) {
                    k++;
                }
            }
        }
        return out;
    }
    /** The command without its leading {@code NAME=value} assignments: the shell's command name comes after them. */
    static List<String> withoutAssignments(List<String> c) {
        int k = 0;
        while (k < c.size() && c.get(k).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            k++;
        }
        return c.subList(k, c.size());
    }
}
