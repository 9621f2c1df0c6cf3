package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** {@code portcullis policy import|export|evaluate}: the Binary Authorization policy on the server. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "The admission policy on the server.",
        subcommands = {PolicyCommand.Import.class, PolicyCommand.Export.class, PolicyCommand.Evaluate.class})
final class PolicyCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code policy import FILE}: replaces the policy (the YAML gcloud exports); a bad one is refused, the old one stays. */
    @Command(name = "import", mixinStandardHelpOptions = true, description = "Replaces the policy with a YAML file.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient api;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            try {
                return ApiClient.report(spec, api.call("PUT", "/api/v1/policy", Files.readString(file), "application/yaml"));
            } catch (IOException e) {
                spec.commandLine().getErr().println("portcullis policy import: " + e.getMessage());
                return 2;
            }
        }
    }

    /** {@code policy export}: prints the policy in force. */
    @Command(name = "export", mixinStandardHelpOptions = true, description = "Prints the policy in force.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient api;

        @Override
        public Integer call() {
            try {
                return ApiClient.report(spec, api.call("GET", "/api/v1/policy", null, null));
            } catch (IOException e) {
                spec.commandLine().getErr().println("portcullis policy export: " + e.getMessage());
                return 2;
            }
        }
    }

    /** {@code policy evaluate}: exit 0 when the images may run, 1 when denied (the JSON says why). */
    @Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluates images. Exit 0 allowed, 1 denied.")
    static final class Evaluate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiClient api;

        @Option(names = "--image", required = true, description = "An image as the pod names it (repeat for several).")
        List<String> images = new ArrayList<>();

        @Option(names = "--cluster")
        String cluster;

        @Option(names = "--namespace")
        String namespace;

        @Option(names = "--service-account")
        String serviceAccount;

        @Option(names = "--spiffe-id")
        String spiffeId;

        @Override
        public Integer call() {
            try {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("images", images);
                body.put("cluster", cluster);
                body.put("namespace", namespace);
                body.put("serviceAccount", serviceAccount);
                body.put("spiffeId", spiffeId);
                HttpResponse<String> r = api.call("POST", "/api/v1/evaluate", JSON.writeValueAsString(body), "application/json");
                int code = ApiClient.report(spec, r);
                if (code != 0) {
                    return code;
                }
                JsonNode d = JSON.readTree(r.body());
                return d.path("allowed").asBoolean() ? 0 : 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("portcullis policy evaluate: " + e.getMessage());
                return 2;
            }
        }
    }
}
