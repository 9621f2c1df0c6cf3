package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.server.Application;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attestors create} with gcloud's note flags, in this JVM against a started server: the note
 * as gcloud makes it from the two flags, and the flags' misuse refused before the server is asked.
 */
class AttestorsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Application app;

    @BeforeAll   // one server for the class: each test uses attestor names of its own
    static void start() {
        app = Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dir + "\"\n", "a.yml",
                Map.of()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private record Run(int exit, String out, String err) {}

    private Run portcullis(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "http://127.0.0.1:" + app.port(), "--token-file", app.adminTokenFile().orElseThrow().toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.execute(Main.commandLine(), all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String noteOf(String attestor) throws Exception {
        Run r = portcullis("attestors", "describe", attestor);
        assertThat(r.exit()).as(r.toString()).isZero();
        return JSON.readTree(r.out()).at("/userOwnedGrafeasNote/noteReference").asText();
    }

    @Test
    void create_noteIdAndProjectFlags_bindsTheAttestorToThatProjectsNote() throws Exception {
        Run r = portcullis("attestors", "create", "projects/p/attestors/flags", "--attestation-authority-note=built",
                "--attestation-authority-note-project=q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(noteOf("projects/p/attestors/flags")).isEqualTo("projects/q/notes/built");
    }

    @Test
    void create_noteIdAlone_isInTheAttestorsProjectAndAFullNameIsTakenAsItIs() throws Exception {
        assertThat(portcullis("attestors", "create", "projects/p/attestors/a", "--attestation-authority-note", "n1").exit()).isZero();
        assertThat(portcullis("attestors", "create", "projects/p/attestors/b", "--attestation-authority-note",
                "projects/other/notes/n2").exit()).isZero();
        assertThat(portcullis("attestors", "create", "projects/p/attestors/c").exit()).isZero();

        assertThat(noteOf("projects/p/attestors/a")).isEqualTo("projects/p/notes/n1");
        assertThat(noteOf("projects/p/attestors/b")).isEqualTo("projects/other/notes/n2");
        assertThat(noteOf("projects/p/attestors/c")).isEqualTo("projects/p/notes/c");
    }

    @Test
    void create_noteFlagsMisused_exitTwoNamingTheFlagAndCreatesNothing() throws Exception {
        Map<List<String>, String> refused = Map.of(
                List.of("projects/p/attestors/misused", "--attestation-authority-note-project=q"),
                "--attestation-authority-note-project needs --attestation-authority-note",
                List.of("ci", "--attestation-authority-note=n"),
                "note id 'n' needs --attestation-authority-note-project: attestor ci names no project",
                List.of("projects/p/attestors/misused", "--attestation-authority-note=projects/x/notes/n",
                        "--attestation-authority-note-project=q"),
                "--attestation-authority-note names project x, --attestation-authority-note-project q",
                List.of("projects/p/attestors/misused", "--attestation-authority-note=notes/n"),
                "--attestation-authority-note must be projects/PROJECT/notes/NOTE or a note id, not 'notes/n'");
        for (var e : refused.entrySet()) {
            List<String> args = new ArrayList<>(List.of("attestors", "create"));
            args.addAll(e.getKey());
            Run r = portcullis(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("portcullis attestors create: " + e.getValue() + "\n");
        }
        for (String name : List.of("projects/p/attestors/misused", "ci")) {
            assertThat(portcullis("attestors", "describe", name).exit()).as(name).isEqualTo(1);
        }
    }

    @Test
    void create_noteAnotherAttestorHas_exitOneWithTheServersReason() {
        assertThat(portcullis("attestors", "create", "projects/p/attestors/first").exit()).isZero();
        Run r = portcullis("attestors", "create", "projects/q/attestors/second", "--attestation-authority-note=projects/p/notes/first");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("noteReference", "projects/p/notes/first is the note of attestor projects/p/attestors/first");
    }
}
