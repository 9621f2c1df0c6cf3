package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code images sync --registry URL}: lineage's cold start. The server reads the registry's catalog
 * and each repository's tags (with its configured pull account, through the registry's token auth);
 * this command drives it a repository at a time, noting the last one done in a file, so that a run
 * stopped midway (a registry that stops answering) resumes there.
 */
@Command(name = "sync", mixinStandardHelpOptions = true, description = "Reads every repository of a registry into lineage (resumable).")
final class ImagesSyncCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ApiClient api;

    @Option(names = "--registry", required = true, paramLabel = "URL", description = "The registry, e.g. http://127.0.0.1:5000 "
            + "(one of the server's lineage.registries).")
    String registry;

    @Option(names = "--resume-file", paramLabel = "FILE", description = "Where the last repository done is noted "
            + "(default .portcullis-sync-HOST in the working directory).")
    Path resumeFile;

    @Option(names = "--restart", description = "Start from the first repository, not where the last run stopped.")
    boolean restart;

    @Override
    public Integer call() {
        String host = registry.replaceFirst("^[a-zA-Z]+://", "").replaceAll("/+$", "");
        Path resume = resumeFile != null ? resumeFile : Path.of(".portcullis-sync-" + host.replaceAll("[^A-Za-z0-9.-]", "_"));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = System.console() != null;
        int repositories = 0;
        int tags = 0;
        int read = 0;
        List<String> skipped = new ArrayList<>();
        String current = "";
        try {
            String last = !restart && Files.isReadable(resume) ? Files.readString(resume).strip() : "";
            if (!last.isEmpty()) {
                err.println("resuming after " + last + " (" + resume + "; --restart to begin again)");
            }
            String after = last.isEmpty() ? "" : last.substring(host.length() + 1);
            while (true) {
                HttpResponse<String> page = api.call("GET", "/api/v1/lineage/sync/catalog?registry=" + enc(host) + "&last=" + enc(after),
                        null, null);
                if (page.statusCode() != 200) {
                    return stopped(err, current, page);
                }
                JsonNode p = JSON.readTree(page.body());
                for (JsonNode repo : p.path("repositories")) {
                    current = repo.asText();
                    HttpResponse<String> r = api.call("POST", "/api/v1/lineage/sync", JSON.writeValueAsString(Map.of("repository", current)),
                            "application/json");
                    if (r.statusCode() != 200) {
                        return stopped(err, current, r);
                    }
                    JsonNode s = JSON.readTree(r.body());
                    repositories++;
                    tags += s.path("tags").asInt();
                    read += s.path("read").asInt();
                    s.path("skipped").forEach(x -> skipped.add(x.asText()));
                    Files.writeString(resume, current + "\n");
                    if (terminal) {
                        err.print("\r" + repositories + " repositories, " + tags + " tags, " + read + " images read: " + current + "\u001b[K");
                        err.flush();
                    }
                }
                after = p.path("next").asText("");
                if (after.isEmpty()) {
                    break;
                }
                after = after.substring(host.length() + 1);
            }
            if (terminal) {
                err.println();
            }
            Files.deleteIfExists(resume);
            skipped.forEach(s -> out.println("skipped " + s));
            out.println("synced " + repositories + " repositories of " + host + ": " + tags + " tags, " + read + " images read, "
                    + skipped.size() + " skipped");
            return 0;
        } catch (IOException e) {
            err.println("portcullis images sync: " + e.getMessage());
            return 2;
        }
    }

    private int stopped(PrintWriter err, String at, HttpResponse<String> r) {
        err.println();
        err.println("portcullis images sync: stopped" + (at.isEmpty() ? "" : " at " + at) + " (" + r.statusCode() + "): "
                + r.body().strip() + "; run it again to resume");
        return r.statusCode() == 400 || r.statusCode() == 404 ? 1 : 2;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
