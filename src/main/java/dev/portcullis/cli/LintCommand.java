package dev.portcullis.cli;

import dev.portcullis.config.ConfigException;
import dev.portcullis.lint.BaseImageCatalog;
import dev.portcullis.lint.BaseImageRewrite;
import dev.portcullis.lint.DockerfileSources;
import dev.portcullis.lint.DockerfileSyntaxException;
import dev.portcullis.lint.Finding;
import dev.portcullis.lint.LintPolicies;
import dev.portcullis.lint.LintPolicy;
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

    @Option(names = {"-f", "--format"}, defaultValue = "tty", description = "tty, json, sarif, checkstyle or gitlab.")
    String format;

    @Option(names = {"-c", "--config"}, description = "Policy file (.hadolint.yaml keys plus ours); default ./.hadolint.yaml if present.")
    Path config;

    @Option(names = {"-t", "--failure-threshold"}, description = "error, warning, info, style: overrides the policy file.")
    String threshold;

    @Option(names = "--list-rules", description = "Print the rules with their default severity and exit.")
    boolean listRules;

    @Option(names = "--fix", description = "Move each FROM to the newest allowed patch release of its line "
            + "(per --catalog), print the diff, write the file.")
    boolean fix;

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
        if (!Reports.FORMATS.contains(format)) {
            err.println("portcullis lint: unknown --format '" + format + "' (" + String.join(", ", Reports.FORMATS) + ")");
            return 2;
        }
        if (paths.isEmpty()) {
            err.println("portcullis lint: name at least one Dockerfile, directory, or - for standard input");
            return 2;
        }
        LintPolicy policy;
        Severity failAt;
        try {
            Path cfg = config != null ? config : Files.isRegularFile(Path.of(".hadolint.yaml")) ? Path.of(".hadolint.yaml") : null;
            policy = cfg == null ? LintPolicy.defaults() : LintPolicies.load(cfg);
            failAt = threshold == null ? policy.failureThreshold() : Severity.parse(threshold);
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
        Linter linter = new Linter(policy);
        List<Finding> findings = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        int bad = 0;
        for (String p : paths) {
            try {
                if (p.equals("-")) {
                    String text = DockerfileSources.read(System.in, "-");
                    sources.put("-", text);
                    findings.addAll(linter.lint("-", text));
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
                    sources.put(f.toString(), text);
                    findings.addAll(linter.lint(f.toString(), text));
                }
            } catch (IOException e) {
                err.println("portcullis lint: " + (e instanceof java.nio.file.NoSuchFileException ? p + ": no such file" : e.getMessage()));
                bad++;
            }
        }
        out.print(Reports.render(format, findings, sources));
        out.flush();
        if (bad > 0) {
            return 2;
        }
        return findings.stream().anyMatch(f -> f.severity().atLeast(failAt)) ? 1 : 0;
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
        out.print(BaseImageRewrite.diff(file.toString(), text, r.text()));
        Path tmp = file.resolveSibling(file.getFileName() + ".portcullis-fix");
        Files.writeString(tmp, r.text());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        r.changes().forEach(c -> err.println("portcullis lint: " + file + ":" + c.line() + " " + c.from() + " -> " + c.to()));
        if (notifyUrl != null) {
            FixNotifier.post(notifyUrl, file.toString(), r, BaseImageRewrite.diff(file.toString(), text, r.text()));
        }
        return r.text();
    }
}
