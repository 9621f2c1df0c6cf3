package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis images affected|tree|ban|unban|bans}: image lineage on the server. */
@Command(name = "images", mixinStandardHelpOptions = true, description = "Image lineage: what is built on a base, and bans.",
        subcommands = {ImagesCommand.Affected.class, ImagesCommand.Tree.class, ImagesCommand.BanImage.class,
                ImagesCommand.Unban.class, ImagesCommand.Bans.class, ImagesSyncCommand.class})
final class ImagesCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The formats {@code images affected} prints. */
    enum Format { table, json, csv }

    private static final String[] COLUMNS = {"repository", "tags", "digest", "platform", "depth", "owner", "source", "revision",
            "found_by"};

    /** {@code images affected --base REF}: every image built on the base, one line per image, platform and repository. */
    @Command(name = "affected", mixinStandardHelpOptions = true, description = "Lists every image built on a base.")
    static final class Affected implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient api;

        @Option(names = "--base", required = true, paramLabel = "REF", description = "The base image, by tag or digest.")
        String base;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or csv (default ${DEFAULT-VALUE}).")
        Format format;

        @Override
        public Integer call() {
            return run(spec, "affected", () -> {
                HttpResponse<String> r = api.call("GET", "/lineage/v1/affected?base=" + URLEncoder.encode(base, StandardCharsets.UTF_8),
                        null, null);
                if (r.statusCode() != 200 || format == Format.json) {
                    return ApiClient.report(spec, r);
                }
                List<String[]> rows = new ArrayList<>();
                for (JsonNode a : JSON.readTree(r.body()).path("affected")) {
                    List<String> tags = new ArrayList<>();
                    a.path("tags").forEach(t -> tags.add(t.asText()));
                    rows.add(new String[] {a.path("repository").asText(), String.join(",", tags),
                            format == Format.table ? shortDigest(a.path("digest").asText()) : a.path("digest").asText(),
                            a.path("platform").asText(), a.path("depth").asText(), a.path("owner").asText(), a.path("source").asText(),
                            a.path("revision").asText(), a.path("foundBy").asText()});
                }
                PrintWriter out = spec.commandLine().getOut();
                if (format == Format.csv) {
                    out.println(String.join(",", COLUMNS));
                    rows.forEach(row -> out.println(String.join(",", java.util.Arrays.stream(row).map(ImagesCommand::csv).toList())));
                } else {
                    table(out, rows);
                    out.println(rows.size() + " image" + (rows.size() == 1 ? "" : "s") + " built on " + base);
                }
                return 0;
            });
        }
    }

    /** {@code images tree REF}: the ancestry of an image, base first, per platform. */
    @Command(name = "tree", mixinStandardHelpOptions = true, description = "Prints what an image is built on, base first.")
    static final class Tree implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient api;

        @Parameters(index = "0", paramLabel = "REF", description = "The image, by tag or digest.")
        String image;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
        Format format;

        @Override
        public Integer call() {
            return run(spec, "tree", () -> {
                HttpResponse<String> r = api.call("GET", "/lineage/v1/tree?image=" + URLEncoder.encode(image, StandardCharsets.UTF_8),
                        null, null);
                if (r.statusCode() != 200 || format != Format.table) {
                    return ApiClient.report(spec, r);
                }
                PrintWriter out = spec.commandLine().getOut();
                for (JsonNode platform : JSON.readTree(r.body()).path("platforms")) {
                    int depth = 0;
                    for (JsonNode s : platform) {
                        String how = s.path("foundBy").asText();
                        out.println("  ".repeat(depth) + (depth == 0 ? "" : "└─ ") + s.path("name").asText() + " ["
                                + s.path("platform").asText() + "]" + (how.isEmpty() ? "" : " (by " + how + ")"));
                        depth++;
                    }
                }
                return 0;
            });
        }
    }

    /** {@code images ban}: bans a base (and so everything built on it). */
    @Command(name = "ban", mixinStandardHelpOptions = true, description = "Bans a base image and every image built on it.")
    static final class BanImage implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient api;

        @Option(names = "--image", paramLabel = "REF", description = "The base, by tag (its digest now) or digest.")
        String image = "";

        @Option(names = "--repository", paramLabel = "NAME", description = "A repository whose tags in --versions are banned.")
        String repository = "";

        @Option(names = "--versions", paramLabel = "RANGE", description = "Tag versions, e.g. '>=1.2 <1.4' (with --repository).")
        String versions = "";

        @Option(names = "--reason", required = true, description = "Why, as denials will say it.")
        String reason;

        @Option(names = "--cve", paramLabel = "ID", description = "A CVE or GHSA id (repeat for several).")
        List<String> cves = new ArrayList<>();

        @Option(names = "--expires", paramLabel = "TIME", description = "When the ban ends, e.g. 2027-01-31T00:00:00Z (default: never).")
        String expires;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(image.startsWith("sha256:") ? "digest" : "image", image);
            body.put("repository", repository);
            body.put("versions", versions);
            body.put("reason", reason);
            body.put("cves", cves);
            if (expires != null) {
                body.put("expires", expires);
            }
            return run(spec, "ban", () -> ApiClient.report(spec, api.call("POST", "/api/v1/lineage/bans",
                    JSON.writeValueAsString(body), "application/json")));
        }
    }

    /** {@code images unban ID}: lifts a ban. */
    @Command(name = "unban", mixinStandardHelpOptions = true, description = "Lifts a ban.")
    static final class Unban implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient api;

        @Parameters(index = "0", paramLabel = "ID", description = "The ban's id (images bans lists them).")
        String id;

        @Override
        public Integer call() {
            return run(spec, "unban", () -> ApiClient.report(spec, api.call("DELETE", "/api/v1/lineage/bans/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8), null, null)));
        }
    }

    /** {@code images bans}: the bans in force. */
    @Command(name = "bans", mixinStandardHelpOptions = true, description = "Lists the bans.")
    static final class Bans implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient api;

        @Override
        public Integer call() {
            return run(spec, "bans", () -> ApiClient.report(spec, api.call("GET", "/api/v1/lineage/bans", null, null)));
        }
    }

    /** A sub-command's work: an exit code, or an IOException saying why the server could not be asked. */
    private interface Work {
        int run() throws IOException;
    }

    // Exit 2 for what is not the server's answer (unreachable, no token), as every client command does.
    private static int run(CommandSpec spec, String command, Work work) {
        try {
            return work.run();
        } catch (IOException e) {
            spec.commandLine().getErr().println("portcullis images " + command + ": " + e.getMessage());
            return 2;
        }
    }

    private static String shortDigest(String d) {
        return d.length() > 19 ? d.substring(0, 19) : d;
    }

    // RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
    private static String csv(String s) {
        return s.matches(".*[\",\\r\\n].*") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static void table(PrintWriter out, List<String[]> rows) {
        int[] w = new int[COLUMNS.length];
        for (int i = 0; i < COLUMNS.length; i++) {
            w[i] = COLUMNS[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        List<String[]> all = new ArrayList<>();
        all.add(java.util.Arrays.stream(COLUMNS).map(c -> c.toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new));
        all.addAll(rows);
        for (String[] r : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(i == r.length - 1 ? r[i] : String.format("%-" + (w[i] + 2) + "s", r[i]));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
