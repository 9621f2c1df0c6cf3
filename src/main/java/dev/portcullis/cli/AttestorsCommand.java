package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portcullis attestors create|list|describe|delete}, as {@code gcloud container binauthz attestors}. */
@Command(name = "attestors", mixinStandardHelpOptions = true, description = "Attestors and their public keys on the server.",
        subcommands = {AttestorsCommand.Create.class, AttestorsCommand.ListAll.class, AttestorsCommand.Describe.class,
                AttestorsCommand.Delete.class, AttestorKeysCommand.class})
final class AttestorsCommand {
    static final ObjectMapper JSON = new ObjectMapper();

    private AttestorsCommand() {}

    /** The path of one attestor: its name holds slashes, which stay path separators. */
    static String path(String name) {
        return "/api/v1/attestors/" + name.replaceAll("^/+", "");
    }

    /** {@code attestors create NAME}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an attestor (exit 0 created, 1 refused).")
    static final class Create extends ServerCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "e.g. projects/p/attestors/built-by-ci")
        String name;

        @Option(names = "--description", description = "A note on what the attestor vouches for.")
        String description;

        @Override
        int run() throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("note", description == null ? "" : description);
            return report("POST", "/api/v1/attestors", JSON.writeValueAsString(body));
        }
    }

    /** {@code attestors list}: one line each, name, number of keys in force, note. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the attestors: name, keys in force, note.")
    static final class ListAll extends ServerCommand {
        @Option(names = "--format", defaultValue = "table", description = "table (default) or json.")
        String format;

        @Override
        int run() throws IOException {
            HttpResponse<String> r = api.call("GET", "/api/v1/attestors", null, null);
            if (r.statusCode() != 200 || format.equals("json")) {
                return ApiClient.report(spec, r);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-48s %-4s %s%n", "NAME", "KEYS", "NOTE");
            for (JsonNode a : JSON.readTree(r.body()).path("attestors")) {
                long inForce = 0;
                for (JsonNode k : a.path("publicKeys")) {
                    inForce += k.path("revokeTime").isNull() ? 1 : 0;
                }
                out.printf("%-48s %-4d %s%n", a.path("name").asText(), inForce, a.path("note").asText());
            }
            return 0;
        }
    }

    /** {@code attestors describe NAME}: the attestor with its keys, as JSON. */
    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Prints an attestor with its public keys (exit 1 if none).")
    static final class Describe extends ServerCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run() throws IOException {
            return report("GET", path(name), null);
        }
    }

    /** {@code attestors delete NAME}: with its keys and attestations; refused while the policy requires it. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes an attestor with its keys and attestations (refused while the policy requires it).")
    static final class Delete extends ServerCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run() throws IOException {
            return report("DELETE", path(name), null);
        }
    }
}
