package dev.portcullis.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a RUN's go, npm, gem and apk installs pin what they install, decided as hadolint decides
 * DL3062, DL3016, DL3028 and DL3018: its reading of which words are packages, and which forms count as pinned.
 */
final class PackagePins {
    private PackagePins() {}

    /** DL3062: {@code go run PKG}, else {@code go install|get PKG...}, each local or {@code @version} (not latest, none). */
    static boolean goUnpinned(ShellCommands sh) {
        List<String> packages = new ArrayList<>();
        for (List<String> c : named(sh, "go")) {
            if (hasAny(c, Set.of("run"))) {
                List<String> args = ShellFlags.argsNoFlags(c);
                for (int k = 0; k < args.size() && k <= 1; k++) {
                    if (!args.get(k).equals("run")) {
                        packages.add(args.get(k)); // what follows the package is the program's own arguments
                    }
                }
            }
        }
        if (packages.isEmpty()) {
            for (List<String> c : named(sh, "go")) {
                if (hasAny(c, Set.of("install", "get"))) {
                    ShellFlags.argsNoFlags(c).stream().filter(a -> !Set.of("install", "get", "tool").contains(a)).forEach(packages::add);
                }
            }
        }
        return !packages.stream().allMatch(p -> p.equals(".") || p.startsWith("/") || p.startsWith(".")
                || p.contains("@") && !p.endsWith("@latest") && !p.endsWith("@none"));
    }

    /** DL3016: {@code npm install PKG...} (install first), each {@code @version}, a git URL with {@code #ref}, a tarball or a folder. */
    static boolean npmUnpinned(ShellCommands sh) {
        for (List<String> c : named(sh, "npm")) {
            if (!hasAny(c, Set.of("install"))) {
                continue;
            }
            List<String> args = ShellFlags.argsNoFlags(ShellFlags.dropFlagValues(c, Set.of("loglevel", "registry")));
            if (args.isEmpty() || !args.get(0).equals("install")) {
                continue;
            }
            int from = 0;
            while (from < args.size() && args.get(from).equals("install")) {
                from++;
            }
            for (String p : args.subList(from, args.size())) {
                if (!npmPinned(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean npmPinned(String p) {
        if (List.of("git://", "git+ssh://", "git+http://", "git+https://").stream().anyMatch(p::startsWith)) {
            return p.contains("#");
        }
        if (p.endsWith(".tar") || p.endsWith(".tar.gz") || p.endsWith(".tgz")
                || List.of("/", "./", "../", "~/").stream().anyMatch(p::startsWith)) {
            return true;
        }
        // A scope (@scope/name) is not a version: hadolint looks for '@' only from the first '/' or lower character on.
        String rest = p;
        if (rest.startsWith("@")) {
            int k = 0;
            while (k < rest.length() && rest.charAt(k) > '/') {
                k++;
            }
            rest = rest.substring(k);
        }
        return rest.contains("@");
    }

    /** DL3028: {@code gem install|i GEM...} without {@code -v}/{@code --version}, each {@code name:version}. */
    static boolean gemUnpinned(ShellCommands sh) {
        for (List<String> c : named(sh, "gem")) {
            List<String> args = c.subList(1, c.size());
            if (!hasAny(c, Set.of("install", "i")) || args.contains("-v") || args.contains("--version")
                    || args.stream().anyMatch(a -> a.startsWith("--version="))) {
                continue;
            }
            List<String> words = args.contains("--") ? args.subList(0, args.indexOf("--")) : args;
            for (int k = 0; k < words.size(); k++) {
                String w = words.get(k);
                if (w.startsWith("-")) {
                    k++; // hadolint takes every option to have a value
                } else if (!w.equals("install") && !w.equals("i") && !w.contains(":")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** DL3018: {@code apk add PKG...}, each with {@code =}, {@code ~}, {@code >} or {@code <}, or an {@code .apk} file. */
    static boolean apkUnpinned(ShellCommands sh) {
        for (List<String> c : named(sh, "apk")) {
            if (!hasAny(c, Set.of("add"))) {
                continue;
            }
            // The values of --virtual (-t) and --repository (-X) are not packages.
            for (String p : ShellFlags.argsNoFlags(ShellFlags.dropFlagValues(c, Set.of("t", "virtual", "repository", "X")))) {
                if (!p.equals("add") && !p.endsWith(".apk") && !(p.contains("=") || p.contains("~") || p.contains(">") || p.contains("<"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * DL3033, DL3041: {@code yum|dnf|microdnf install PKG...}, each {@code name-version} (the parts after
     * the first '-' of version characters, one starting with a digit), an {@code .rpm}, or built from a
     * variable; {@code ... module install MOD...}, each {@code name:stream}.
     */
    static boolean rpmUnpinned(ShellCommands sh, List<String> tools) {
        for (List<String> c : sh.commands()) {
            if (c.isEmpty() || !tools.contains(c.get(0)) || !hasAny(c, Set.of("install"))) {
                continue;
            }
            boolean module = hasAny(c, Set.of("module"));
            if (!module && tools.contains("dnf") && hasAny(c, Set.of("group"))) {
                continue; // a dnf package group has no version to pin (hadolint leaves yum's groups in)
            }
            for (String p : ShellFlags.argsNoFlags(c)) {
                if (p.equals("install") || p.equals("module")) {
                    continue;
                }
                if (module ? !p.contains(":") : !rpmPinned(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean rpmPinned(String p) {
        String[] parts = p.split("-", -1);
        if (parts.length <= 1) {
            return false;
        }
        if (p.endsWith(".rpm") || p.contains("$")) {
            return true; // hadolint asks that the variable be declared; this takes it as given
        }
        boolean digit = false;
        for (int k = 1; k < parts.length; k++) {
            if (!parts[k].chars().allMatch(ch -> Character.isLetterOrDigit(ch) && ch < 128 || ".~^_:+".indexOf(ch) >= 0)) {
                return false;
            }
            digit |= !parts[k].isEmpty() && Character.isDigit(parts[k].charAt(0));
        }
        return digit;
    }

    // Commands named exactly `name`, as hadolint matches them (no sudo or path stripped).
    private static List<List<String>> named(ShellCommands sh, String name) {
        return sh.commands().stream().filter(c -> !c.isEmpty() && c.get(0).equals(name)).toList();
    }

    private static boolean hasAny(List<String> c, Set<String> words) {
        return c.subList(1, c.size()).stream().anyMatch(words::contains);
    }
}
