package dev.portcullis.lint;

import static dev.portcullis.lint.Severity.ERROR;
import static dev.portcullis.lint.Severity.INFO;
import static dev.portcullis.lint.Severity.WARNING;

import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/** hadolint's rules about the commands RUN executes (the ones that need no ShellCheck). */
final class RunRules {
    private static final Set<String> POINTLESS = Set.of("ssh", "vim", "shutdown", "service", "ps", "free", "top", "kill",
            "mount", "ifconfig");

    private RunRules() {}

    static List<Rule> all() {
        return List.of(
                run("DL3001", INFO, "For some bash commands it makes no sense running them in a Docker container like ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig",
                        (sh, report) -> sh.commands().stream().filter(c -> POINTLESS.contains(c.get(0))).findFirst()
                                .ifPresent(c -> report.accept("For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`"))),
                run("DL3003", WARNING, "Use WORKDIR to switch to a directory", (sh, report) -> {
                    if (!sh.invocations("cd").isEmpty()) {
                        report.accept("Use WORKDIR to switch to a directory");
                    }
                }),
                run("DL3004", ERROR, "Do not use sudo", (sh, report) -> {
                    // A command run through sudo, not the word: installing the sudo package is no use of it.
                    if (sh.commands().stream().anyMatch(c -> !c.isEmpty() && ShellFlags.withoutAssignments(c).stream().findFirst()
                            .filter(n -> n.equals("sudo") || n.endsWith("/sudo")).isPresent())) {
                        report.accept("Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root");
                    }
                }),
                run("DL3008", WARNING, "Pin versions in apt-get install", (sh, report) ->
                        packages(sh, "apt-get", "install").stream().filter(p -> !p.contains("=") && !p.endsWith(".deb")).findFirst()
                                .ifPresent(p -> report.accept("Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`"))),
                CleanupRules.aptLists(),
                run("DL3013", WARNING, "Pin versions in pip", (sh, report) -> {
                    if (PipInstalls.of(sh).stream().anyMatch(PipInstalls::unpinned)) {
                        report.accept("Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`");
                    }
                }),
                run("DL3014", WARNING, "Use the -y switch to avoid manual input apt-get -y install <package>", (sh, report) -> {
                    // hadolint: -y, --yes, --assume-yes, or quiet level 2 (-qq, -q -q, --quiet --quiet, -q=2).
                    if (sh.invocations("apt-get", "install").stream().anyMatch(c -> !ShellFlags.hasAny(c, "y", "yes", "qq", "assume-yes")
                            && ShellFlags.count(c, "q") != 2 && ShellFlags.count(c, "quiet") != 2 && !c.contains("-q=2"))) {
                        report.accept("Use the `-y` switch to avoid manual input `apt-get -y install <package>`");
                    }
                }),
                run("DL3015", INFO, "Avoid additional packages by specifying --no-install-recommends", (sh, report) -> {
                    if (sh.invocations("apt-get", "install").stream().anyMatch(c -> !hasAny(c, "--no-install-recommends")
                            && c.stream().noneMatch(w -> w.contains("Install-Recommends=false")))) {
                        report.accept("Avoid additional packages by specifying `--no-install-recommends`");
                    }
                }),
                run("DL3016", WARNING, "Pin versions in npm", (sh, report) -> {
                    if (PackagePins.npmUnpinned(sh)) {
                        report.accept("Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`");
                    }
                }),
                run("DL3018", WARNING, "Pin versions in apk add", (sh, report) -> {
                    if (PackagePins.apkUnpinned(sh)) {
                        report.accept("Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`");
                    }
                }),
                run("DL3019", INFO, "Use the --no-cache switch to avoid the need to use --update and remove /var/cache/apk/*",
                        (sh, report) -> {
                            if (sh.invocations("apk", "add").stream().anyMatch(c -> !hasAny(c, "--no-cache"))) {
                                report.accept("Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages");
                            }
                        }),
                run("DL3027", WARNING, "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
                        (sh, report) -> {
                            if (!sh.invocations("apt").isEmpty()) {
                                report.accept("Do not use apt as it is meant to be a end-user tool, use apt-get or apt-cache instead");
                            }
                        }),
                run("DL3028", WARNING, "Pin versions in gem install", (sh, report) -> {
                    if (PackagePins.gemUnpinned(sh)) {
                        report.accept("Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`");
                    }
                }),
                run("DL3033", WARNING, "Specify version with yum install -y <package>-<version>", (sh, report) -> versioned(sh, "yum",
                        "Specify version with `yum install -y <package>-<version>`.", report)),
                run("DL3041", WARNING, "Specify version with dnf install -y <package>-<version>", (sh, report) -> versioned(sh, "dnf",
                        "Specify version with `dnf install -y <package>-<version>`.", report)),
                run("DL3035", WARNING, "Do not use zypper dist-upgrade", (sh, report) -> {
                    if (!sh.invocations("zypper", "dist-upgrade").isEmpty() || !sh.invocations("zypper", "dup").isEmpty()) {
                        report.accept("Do not use `zypper dist-upgrade`.");
                    }
                }),
                run("DL3037", WARNING, "Specify version with zypper install -y <package>[=]<version>", (sh, report) -> {
                    List<String> pkgs = new java.util.ArrayList<>(packages(sh, "zypper", "install"));
                    pkgs.addAll(packages(sh, "zypper", "in"));
                    if (pkgs.stream().anyMatch(p -> !p.matches(".*[=<>].*") && !p.endsWith(".rpm"))) {
                        report.accept("Specify version with `zypper install -y <package>[=]<version>`.");
                    }
                }),
                run("DL3062", WARNING, "Pin versions in go install", (sh, report) -> {
                    if (PackagePins.goUnpinned(sh)) {
                        report.accept("Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`");
                    }
                }),
                yes("DL3030", "yum"),
                CleanupRules.afterInstall("DL3032", "`yum clean all` missing after yum command.", List.of("yum"), List.of("install"),
                        List.of("clean", "all"), List.of("-rf", "/var/cache/yum/*"), List.of()),
                yes("DL3034", "zypper"),
                CleanupRules.afterInstall("DL3036", "`zypper clean` missing after zypper use.", List.of("zypper"), List.of("install", "in"),
                        List.of("clean", "cc"), List.of(), List.of("/var/cache/zypp")),
                yes("DL3038", "dnf"),
                CleanupRules.afterInstall("DL3040", "`dnf clean all` missing after dnf command.", List.of("dnf", "microdnf"),
                        List.of("install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei"), List.of("clean", "all"),
                        List.of("-rf", "/var/cache/libdnf5*"), List.of("/var/cache/libdnf5", ".cache/libdnf5")),
                PipCacheRule.rule(),
                run("DL3046", WARNING, "useradd without flag -l and high UID will result in excessively large Image",
                        (sh, report) -> {
                            for (List<String> c : sh.invocations("useradd")) {
                                int i = c.indexOf("-u") >= 0 ? c.indexOf("-u") : c.indexOf("--uid");
                                if (i >= 0 && i + 1 < c.size() && c.get(i + 1).matches("\\d{6,}")
                                        && !hasAny(c, "-l", "--no-log-init")) {
                                    report.accept("`useradd` without flag `-l` and high UID will result in excessively large Image.");
                                }
                            }
                        }),
                run("DL3047", INFO, "Avoid use of wget without progress bar", (sh, report) -> {
                    // hadolint: a wget with no progress flag and none of quiet, no-verbose, or output to a log file.
                    if (sh.commands().stream().anyMatch(c -> !c.isEmpty() && c.get(0).equals("wget") && !c.contains("-nv")
                            && !ShellFlags.hasAny(c, "progress", "q", "quiet", "o", "output-file", "a", "append-output", "no-verbose"))) {
                        report.accept("Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).");
                    }
                }),
                CleanupRules.yarnCache(),
                run("DL4005", WARNING, "Use SHELL to change the default shell", (sh, report) -> {
                    if (sh.invocations("ln").stream().anyMatch(c -> c.contains("/bin/sh"))) {
                        report.accept("Use SHELL to change the default shell");
                    }
                }),
                // As hadolint: RUNs one after the other (comments between them do not count), with the same
                // flags, neither of them a chain of commands (that split is deliberate); stages do not matter.
                new SimpleRule("DL3059", INFO, "Multiple consecutive RUN instructions. Consider consolidation.", (f, p, r) -> {
                    java.util.Set<Flag> flags = null;
                    int commands = 0;
                    for (Instruction i : f.instructions()) {
                        if (!(i instanceof Instruction.Run run)) {
                            flags = null;
                            continue;
                        }
                        java.util.Set<Flag> now = java.util.Set.copyOf(run.flags());
                        int count = f.shell(run).commands().size();
                        if (flags == null || !flags.equals(now) || count > 1 || commands > 1) {
                            flags = now;
                            commands = count;
                        } else {
                            r.add(run, "Multiple consecutive `RUN` instructions. Consider consolidation.");
                        }
                    }
                }),
                // As hadolint: within a stage, each RUN that uses one of them once both have been used.
                new SimpleRule("DL4001", WARNING, "Either use Wget or Curl but not both", (f, p, r) -> {
                    List<List<Instruction.Run>> sequences = new java.util.ArrayList<>();
                    for (Dockerfile.Stage s : f.stages()) {
                        sequences.add(s.instructions().stream().filter(Instruction.Run.class::isInstance).map(Instruction.Run.class::cast).toList());
                    }
                    sequences.add(f.onbuildRuns()); // ONBUILD triggers: one sequence, as hadolint sees them apart from FROM
                    for (List<Instruction.Run> runs : sequences) {
                        java.util.Set<String> seen = new java.util.HashSet<>();
                        for (Instruction.Run run : runs) {
                            java.util.Set<String> used = new java.util.HashSet<>();
                            f.shell(run).commands().stream().map(ShellFlags::withoutAssignments).filter(c -> !c.isEmpty())
                                    .map(c -> c.get(0)).filter(n -> n.equals("curl") || n.equals("wget")).forEach(used::add);
                            seen.addAll(used);
                            if (!used.isEmpty() && seen.size() == 2) {
                                r.add(run, "Either use Wget or Curl but not both");
                            }
                        }
                    }
                }),
                new SimpleRule("DL4006", WARNING, "Set the SHELL option -o pipefail before RUN with a pipe in it", (f, p, r) -> {
                    for (Dockerfile.Stage s : f.stages()) {
                        boolean pipefail = false;
                        for (Instruction i : s.instructions()) {
                            if (i instanceof Instruction.Shell sh) {
                                String t = sh.command().text();
                                pipefail = t.contains("pipefail") || !t.matches(".*\\b(ba|z|k|a)?sh\\b.*") && !t.contains("/bin/sh");
                            }
                            if (i instanceof Instruction.Run run && !pipefail && run.command() instanceof Arguments.ShellForm
                                    && f.shell(run).hasPipe() && !run.command().text().contains("set -o pipefail")) {
                                r.add(i, "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check");
                            }
                        }
                    }
                }));
    }

    // The RUN rules hadolint also applies to ONBUILD RUN triggers (its `onbuild` wrapper); the others,
    // such as DL3003 and DL3059, judge only the file's own RUN instructions there too.
    private static final java.util.Set<String> ONBUILD_TOO = java.util.Set.of("DL3001", "DL3004", "DL3008", "DL3009", "DL3013",
            "DL3014", "DL3015", "DL3016", "DL3018", "DL3019", "DL3027", "DL3028", "DL3030", "DL3032", "DL3033", "DL3034", "DL3035",
            "DL3036", "DL3037", "DL3038", "DL3040", "DL3041", "DL3042", "DL3046", "DL3047", "DL3060", "DL3062", "DL3064", "DL4001",
            "DL4005");

    /** The RUN instructions rule {@code code} judges: the file's own, and the ONBUILD triggers where hadolint judges them. */
    static List<Instruction.Run> judged(Facts f, String code) {
        if (!ONBUILD_TOO.contains(code) || f.onbuildRuns().isEmpty()) {
            return f.runs();
        }
        List<Instruction.Run> all = new java.util.ArrayList<>(f.runs());
        all.addAll(f.onbuildRuns());
        return all;
    }

    private static Rule run(String code, Severity severity, String description, BiConsumer<ShellCommands, java.util.function.Consumer<String>> check) {
        return new SimpleRule(code, severity, description, (f, p, r) -> {
            for (Instruction.Run run : judged(f, code)) {
                ShellCommands sh = f.shell(run);
                boolean[] once = {false};
                check.accept(sh, message -> {
                    if (!once[0]) {
                        once[0] = true;
                        r.add(run, message);
                    }
                });
            }
        });
    }

    private static Rule yes(String code, String tool) {
        return run(code, WARNING, "Use the -y switch to avoid manual input " + tool + " install -y <package>", (sh, report) -> {
            Predicate<List<String>> missing = c -> !hasAny(c, "-y", "--yes", "--assumeyes", "-n", "--non-interactive", "--no-confirm");
            // dnf's minimal twin takes the same flags, and hadolint judges it with dnf.
            List<String> tools = tool.equals("dnf") ? List.of("dnf", "microdnf") : List.of(tool);
            if (tools.stream().anyMatch(t -> sh.invocations(t, "install").stream().anyMatch(missing)
                    || sh.invocations(t, "in").stream().anyMatch(missing))) {
                report.accept("Use the -y switch to avoid manual input `" + tool + " install -y <package>`");
            }
        });
    }

    // yum/dnf (and microdnf) packages pinned as name-version, modules as name:stream, as hadolint reads them.
    private static void versioned(ShellCommands sh, String tool, String message, java.util.function.Consumer<String> report) {
        if (PackagePins.rpmUnpinned(sh, tool.equals("dnf") ? List.of("dnf", "microdnf") : List.of(tool))) {
            report.accept(message);
        }
    }

    private static boolean hasAny(List<String> words, String... flags) {
        for (String f : flags) {
            if (words.contains(f)) {
                return true;
            }
        }
        return false;
    }

    /** The package arguments of {@code tool sub ...}: words after the subcommand that are not options. */
    private static List<String> packages(ShellCommands sh, String tool, String sub) {
        List<String> out = new java.util.ArrayList<>();
        for (List<String> c : sh.invocations(tool, sub)) {
            boolean after = false;
            for (String w : c.subList(1, c.size())) {
                if (!after) {
                    after = w.equals(sub);
                } else if (!w.startsWith("-") && !w.startsWith("$")) {
                    out.add(w);
                }
            }
        }
        return out;
    }
}
