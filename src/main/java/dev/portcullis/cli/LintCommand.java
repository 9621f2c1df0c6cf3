package dev.portcullis.cli;

import dev.portcullis.config.ConfigException;
import dev.portcullis.lint.BaseImageCatalog;
import dev.portcullis.lint.BaseImageRewrite;
import dev.portcullis.lint.DockerfileSources;
import dev.portcullis.lint.DockerfileSyntaxException;
import dev.portcullis.lint.Finding;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.lint.LintConfigFiles;
import dev.portcullis.lint.LintSetup;
import dev.portcullis.lint.Linter;
import dev.portcullis.lint.Reports;
import dev.portcullis.lint.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis lint}: hadolint-compatible Dockerfile linting with Portcullis's policy rules. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Lints Dockerfiles (files, directories, or - for standard input). Exit 1 when a finding "
                + "reaches the failure threshold, 2 on bad input.")
final class LintCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Dockerfiles or directories; - reads standard input.")
    List<String> paths = new ArrayList<>();

    @Option(names = {"-f", "--format"}, description = "tty (the default), json, sarif, checkstyle or gitlab.")
    String format;

    @Option(names = {"-c", "--config"}, description = "Policy file (.hadolint.yaml keys plus ours); by default the first "
            + "of ./.hadolint.yaml, $XDG_CONFIG_HOME/hadolint.yaml, ~/.config/hadolint.yaml, ~/.hadolint/hadolint.yaml, "
            + "~/hadolint/config.yaml, ~/.hadolint.yaml (or .yml) that exists.")
    Path config;

    @Option(names = {"-t", "--failure-threshold"}, description = "error, warning, info, style, ignore or none: overrides the policy file.")
    String threshold;

    @Option(names = "--no-fail", description = "Exit 0 whatever is found (bad input still exits 2).")
    boolean noFail;

    @Option(names = "--no-color", description = "No colour in the tty report (there is none unless standard output is a terminal).")
    boolean noColor;

    @Option(names = "--ignore", paramLabel = "RULECODE", description = "A rule to ignore (repeatable); replaces the policy file's list.")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--error", paramLabel = "RULECODE", description = "Make the rule an error (repeatable).")
    List<String> asError = new ArrayList<>();

    @Option(names = "--warning", paramLabel = "RULECODE", description = "Make the rule a warning (repeatable).")
    List<String> asWarning = new ArrayList<>();

    @Option(names = "--info", paramLabel = "RULECODE", description = "Make the rule info (repeatable).")
    List<String> asInfo = new ArrayList<>();

    @Option(names = "--style", paramLabel = "RULECODE", description = "Make the rule style (repeatable).")
    List<String> asStyle = new ArrayList<>();

    @Option(names = "--trusted-registry", paramLabel = "REGISTRY", description = "A registry FROM may name (repeatable, DL3026).")
    List<String> trustedRegistries = new ArrayList<>();

    @Option(names = "--require-label", paramLabel = "LABEL:FORMAT", description = "A label that must be present and of this "
            + "format: text, url, semver, hash, rfc3339, spdx or email (repeatable).")
    List<String> requireLabels = new ArrayList<>();

    @Option(names = "--strict-labels", description = "No label beyond those the label schema names.")
    boolean strictLabels;

    @Option(names = "--disable-ignore-pragma", description = "Ignore the '# hadolint ignore=' comments.")
    boolean disableIgnorePragma;

    @Option(names = "--file-path-in-report", paramLabel = "PATH", description = "The file name the report gives the file "
            + "read (standard input is '-' otherwise), e.g. its path in the repository when linted in a container.")
    String filePathInReport;

    @Option(names = "--list-rules", description = "Print the rules with their default severity and exit.")
    boolean listRules;

    @Option(names = "--fix", description = "Move each FROM to the newest allowed patch release of its line "
            + "(per --catalog), write the file, and print the diff (git apply reads it) on standard output, the "
            + "findings then going to standard error.")
    boolean fix;

    @Option(names = "--dry-run", description = "With --fix: print the diff, change no file.")
    boolean dryRun;

    @Option(names = "--catalog", description = "Base-image catalog YAML: images: {NAME: [allowed tags]}.")
    Path catalogFile;

    @Option(names = "--pin-digest", description = "With --fix: pin each FROM to the digest its registry serves for the tag.")
    boolean pinDigest;

    @Option(names = "--insecure-registry", description = "A registry host:port reached over plain HTTP (repeatable).")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--notify", description = "With --fix: POST each file's changes and diff as JSON to this URL (the owning team's hook).")
    java.net.URI notifyUrl;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (listRules) {
            Linter.ruleTable().forEach(r -> out.printf("%-7s %-8s %s%n", r[0], r[1], r[2]));
            return 0;
        }
        if (paths.isEmpty()) {
            err.println("portcullis lint: name at least one Dockerfile, directory, or - for standard input");
            return 2;
        }
        if (dryRun && !fix) {
            err.println("portcullis lint: --dry-run goes with --fix");
            return 2;
        }
        LintSetup setup;
        try {
            Path cfg = config != null ? config : LintConfigFiles.find(System.getenv()).orElse(null);
            setup = LintSetup.resolve(cfg == null ? null : ConfigDocument.load(cfg, Map.of()).root(), System.getenv(), flags());
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("portcullis lint: " + e.getMessage());
            return 2;
        }
        BaseImageCatalog catalog = null;
        if (fix) {
            if (catalogFile == null) {
                err.println("portcullis lint: --fix needs --catalog FILE (the allowed tags per base image)");
                return 2;
            }
            try {
                catalog = BaseImageCatalog.load(catalogFile);
            } catch (ConfigException e) {
                err.println("portcullis lint: " + e.getMessage());
                return 2;
            }
        }
        Linter linter = new Linter(setup.policy());
        List<Finding> findings = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        // With --fix, standard output is the diff alone, so that it can be applied as it is.
        var report = fix ? err : out;
        int bad = 0;
        for (String p : paths) {
            try {
                if (p.equals("-")) {
                    String name = filePathInReport != null ? filePathInReport : "-";
                    String text = DockerfileSources.read(System.in, "-");
                    sources.put(name, text);
                    findings.addAll(linter.lint(name, text));
                    continue;
                }
                List<Path> files = DockerfileSources.expand(Path.of(p));
                if (files.isEmpty()) {
                    err.println("portcullis lint: " + p + ": no Dockerfile found in this directory");
                    bad++;
                }
                for (Path f : files) {
                    String text = DockerfileSources.read(f);
                    if (catalog != null) {
                        text = fixed(f, text, catalog, out, err);
                    }
                    String name = filePathInReport != null ? filePathInReport : f.toString();
                    sources.put(name, text);
                    findings.addAll(linter.lint(name, text));
                }
            } catch (IOException e) {
                err.println("portcullis lint: " + (e instanceof java.nio.file.NoSuchFileException ? p + ": no such file" : e.getMessage()));
                bad++;
            }
        }
        boolean colour = setup.format().equals("tty") && !setup.noColor() && !fix && CommandLine.Help.Ansi.AUTO.enabled();
        report.print(Reports.render(setup.format(), findings, sources, colour, dev.portcullis.platform.BuildInfo.current().version()));
        report.flush();
        if (bad > 0) {
            return 2;
        }
        if (setup.noFail()) {
            return 0;
        }
        return findings.stream().anyMatch(f -> f.severity().atLeast(setup.policy().failureThreshold())) ? 1 : 0;
    }

    private LintSetup.Flags flags() {
        Map<Severity, List<String>> overrides = new java.util.EnumMap<>(Severity.class);
        overrides.put(Severity.ERROR, asError);
        overrides.put(Severity.WARNING, asWarning);
        overrides.put(Severity.INFO, asInfo);
        overrides.put(Severity.STYLE, asStyle);
        return new LintSetup.Flags(format, noFail, noColor, threshold, ignore, overrides, trustedRegistries, requireLabels,
                strictLabels, disableIgnorePragma);
    }

    // Rewrites FROM lines per the catalog, prints the diff, replaces the file atomically, notifies.
    private String fixed(Path file, String text, BaseImageCatalog catalog, java.io.PrintWriter out,
                         java.io.PrintWriter err) throws IOException {
        BaseImageRewrite.Result r;
        try {
            var registry = new dev.portcullis.image.RegistryClient(java.util.Set.copyOf(insecureRegistries));
            r = BaseImageRewrite.apply(file.toString(), text, catalog, pinDigest ? registry::resolveDigest : null);
        } catch (DockerfileSyntaxException e) {
            return text; // the lint report names the syntax error
        } catch (dev.portcullis.image.RegistryException e) {
            throw new IOException(file + ": cannot pin the digest: " + e.getMessage());
        }
        if (r.changes().isEmpty()) {
            return text;
        }
        String diff = BaseImageRewrite.diff(diffName(file), text, r.text());
        out.print(diff);
        if (dryRun) {
            r.changes().forEach(c -> err.println("portcullis lint: " + file + ":" + c.line() + " would move " + c.from() + " -> " + c.to()));
            return text; // the findings are of the file as it is
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".portcullis-fix");
        Files.writeString(tmp, r.text());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        r.changes().forEach(c -> err.println("portcullis lint: " + file + ":" + c.line() + " " + c.from() + " -> " + c.to()));
        if (notifyUrl != null) {
            FixNotifier.post(notifyUrl, file.toString(), r, diff);
        }
        return r.text();
    }

    // The diff names the file from the current directory, as git apply and patch -p1 run there read it.
    private static String diffName(Path file) {
        Path here = Path.of("").toAbsolutePath();
        Path abs = file.toAbsolutePath().normalize();
        return (abs.startsWith(here) ? here.relativize(abs) : abs).toString().replace('\\', '/');
    }
}
