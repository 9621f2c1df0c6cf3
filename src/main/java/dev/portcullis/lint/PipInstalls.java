package dev.portcullis.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code pip install} commands as hadolint recognises them ({@code pip}, {@code pip2}, {@code pip3.12},
 * ... but not {@code pipenv}; {@code python -m pip install}), and whether their packages are pinned
 * (DL3013), with hadolint's reading of flags, version specifiers, VCS URLs and local paths.
 */
final class PipInstalls {
    // Flags whose value is the next word (unless written --flag=value): that word is not a package.
    private static final Set<String> VALUE_FLAGS = Set.of("abi", "b", "build", "e", "editable", "extra-index-url", "f",
            "find-links", "i", "index-url", "implementation", "no-binary", "only-binary", "platform", "prefix", "progress-bar",
            "proxy", "python", "python-version", "root", "root-user-action", "src", "t", "target", "trusted-host",
            "upgrade-strategy");
    private static final List<String> VERSION_SYMBOLS = List.of("==", ">=", "<=", ">", "<", "!=", "~=", "===");
    private static final List<String> VCS_SCHEMES = List.of("git+file", "git+https", "git+ssh", "git+http", "git+git", "git",
            "hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http", "svn", "svn+svn", "svn+http", "svn+https", "svn+ssh",
            "bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp");

    private PipInstalls() {}

    /** The commands of a RUN that are pip installs, each as its words from the command's name on. */
    static List<List<String>> of(ShellCommands sh) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> command : sh.commands()) {
            List<String> c = ShellFlags.withoutAssignments(command);
            if (!c.isEmpty() && isPipInstall(c)) {
                out.add(c);
            }
        }
        return out;
    }

    static boolean isPipInstall(List<String> c) {
        String name = c.get(0);
        List<String> args = c.subList(1, c.size());
        return name.startsWith("pip") && !name.startsWith("pipenv") && args.contains("install")
                || name.startsWith("python") && java.util.Collections.indexOfSubList(args, List.of("-m", "pip", "install")) >= 0;
    }

    /** Whether this pip install names a package without a version (DL3013). */
    static boolean unpinned(List<String> c) {
        List<String> args = c.subList(1, c.size());
        if (args.contains("--requirement") || args.contains("-r") || args.contains(".")) {
            return false; // a requirements file or the local project: pinned there, if anywhere
        }
        if (args.stream().anyMatch(a -> a.equals("-c") || a.equals("--constraint") || a.startsWith("--constraint="))) {
            return false;
        }
        return !packages(c).stream().allMatch(PipInstalls::versionFixed);
    }

    /** The package arguments: words after {@code install} that are neither flags nor a flag's value. */
    static List<String> packages(List<String> c) {
        List<String> words = ShellFlags.argsNoFlags(ShellFlags.dropFlagValues(c, VALUE_FLAGS));
        int from = words.indexOf("install");
        if (from < 0) {
            return List.of();
        }
        while (from < words.size() && words.get(from).equals("install")) {
            from++;
        }
        return words.subList(from, words.size());
    }

    private static boolean versionFixed(String p) {
        boolean vcs = VCS_SCHEMES.stream().anyMatch(p::startsWith);
        return VERSION_SYMBOLS.stream().anyMatch(p::contains)
                || vcs && p.contains("@")
                || p.endsWith(".whl") || p.endsWith(".tar.gz")
                || !vcs && p.contains("/");
    }
}
