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
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates an attestor bound to a Grafeas note (exit 0 created, 1 refused).")
    static final class Create extends ServerCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "e.g. projects/p/attestors/built-by-ci")
        String name;

        @Option(names = "--description", description = "A note on what the attestor vouches for.")
        String description;

        @Option(names = "--attestation-authority-note", paramLabel = "NOTE",
                description = {"The Grafeas note the attestor is bound to: projects/P/notes/N, or N with "
                        + "--attestation-authority-note-project (else the attestor's project). Attestations naming the note "
                        + "(attest create --note) are the attestor's. Default: projects/P/notes/A for attestor projects/P/attestors/A."})
        String note;

        @Option(names = "--attestation-authority-note-project", paramLabel = "PROJECT",
                description = "The project of --attestation-authority-note when it is given as a note id.")
        String noteProject;

        @Override
        int run() throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("note", description == null ? "" : description);
            String reference;
            try {
                reference = noteReference(name, note, noteProject);
            } catch (IllegalArgumentException e) {   // bad usage: exit 2, as picocli's own refusals
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
                return 2;
            }
            if (reference != null) {
                body.put("userOwnedGrafeasNote", Map.of("noteReference", reference));
            }
            return report("POST", "/api/v1/attestors", JSON.writeValueAsString(body));
        }

        /**
         * The note's resource name as gcloud makes it: a full {@code projects/P/notes/N} as it is, an id
         * in the project given, else in the attestor's project; null when no note is given.
         */
        static String noteReference(String attestor, String note, String project) {
            if (note == null) {
                if (project != null) {
                    throw new IllegalArgumentException("--attestation-authority-note-project needs --attestation-authority-note");
                }
                return null;
            }
            if (note.startsWith("projects/")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("projects/([^/]+)/notes/[^/]+").matcher(note);
                if (!m.matches()) {
                    throw new IllegalArgumentException("--attestation-authority-note must be projects/PROJECT/notes/NOTE or a note id, not '"
                            + note + "'");
                }
                if (project != null && !project.equals(m.group(1))) {
                    throw new IllegalArgumentException("--attestation-authority-note names project " + m.group(1)
                            + ", --attestation-authority-note-project " + project);
                }
                return note;
            }
            if (note.contains("/")) {
                throw new IllegalArgumentException("--attestation-authority-note must be projects/PROJECT/notes/NOTE or a note id, not '"
                        + note + "'");
            }
            String p = project != null ? project : projectOf(attestor);
            if (p == null) {
                throw new IllegalArgumentException("note id '" + note + "' needs --attestation-authority-note-project: attestor "
                        + attestor + " names no project");
            }
            return "projects/" + p + "/notes/" + note;
        }

        private static String projectOf(String attestor) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("/*projects/([^/]+)/attestors/[^/]+").matcher(attestor);
            return m.matches() ? m.group(1) : null;
        }
    }

    /** {@code attestors list}: one line each, name, its Grafeas note, number of keys in force, description. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the attestors: name, Grafeas note, keys in force, description.")
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
            // NOTE is the Grafeas note the attestor is bound to, as gcloud's column is; the free text is DESCRIPTION.
            out.printf("%-48s %-48s %-4s %s%n", "NAME", "NOTE", "KEYS", "DESCRIPTION");
            for (JsonNode a : JSON.readTree(r.body()).path("attestors")) {
                long inForce = 0;
                for (JsonNode k : a.path("publicKeys")) {
                    inForce += k.path("revokeTime").isNull() ? 1 : 0;
                }
                out.printf("%-48s %-48s %-4d %s%n", a.path("name").asText(),
                        a.path("userOwnedGrafeasNote").path("noteReference").asText("-"), inForce, a.path("note").asText());
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
