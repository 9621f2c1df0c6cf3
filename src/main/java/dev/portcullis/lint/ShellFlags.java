package dev.portcullis.lint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The flags of one shell command as hadolint reads them: {@code --name} and {@code --name=value}
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
}
