package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.pki.Pem;
import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import dev.portcullis.testbed.ServeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Each command through {@code ./portcullis}, a JVM of its own: what it writes reaches the terminal
 * before the process exits (also when it ends without a newline), and a server that is not there is
 * named with the reason.
 */
@RequiresTools("bash")
class CommandProcessIT {
    private static final String ARTIFACT = "registry.local/team/app@sha256:" + "5e".repeat(32);

    @TempDir
    static Path dir;

    @AutoClose
    private static ServeProcess serve;

    @BeforeAll
    static void install() throws Exception {
        Launcher.install(dir);
        Files.writeString(dir.resolve("policy.yaml"), "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, "
                + "enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n");
        Files.writeString(dir.resolve("bad-policy.yaml"), "defaultAdmissionRule: {evaluationMode: SOMETIMES}\n");
        Files.writeString(dir.resolve("signed.asc"), "not a signature\n");
        Files.writeString(dir.resolve("missing-attestor-policy.yaml"), "defaultAdmissionRule: {evaluationMode: REQUIRE_ATTESTATION, "
                + "enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG, requireAttestationsBy: [projects/p/attestors/missing]}\n");
    }

    private static Launcher.Result portcullis(Map<String, String> env, String... args) {
        return Launcher.run(dir, env, args);
    }

    /** Every command and sub-command of the command line, e.g. [attest, create-signature-payload]. */
    static Stream<List<String>> commands() {
        List<List<String>> out = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), out);
        return out.stream();
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        cl.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            collect(sub, p, out);
        });
    }

    @ParameterizedTest
    @MethodSource("commands")
    void help_everyCommand_printsItsUsage(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.add("--help");
        Launcher.Result r = portcullis(Map.of(), args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.out()).startsWith("Usage: portcullis" + (command.isEmpty() ? "" : " " + String.join(" ", command)));
    }

    /** What bash offers at the end of {@code line} once the script {@code completion bash} prints is sourced. */
    private static List<String> completions(String line) {
        String words = line.endsWith(" ") ? line + "''" : line;
        Launcher.Result r = Launcher.shell(dir, Launcher.environment(dir, Map.of()), "source <(./portcullis completion bash) && "
                + "COMP_LINE='" + line + "' && COMP_WORDS=(" + words + ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && "
                + "COMP_POINT=${#COMP_LINE} && _complete_portcullis 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"", null);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return r.out().lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void completionBash_sourcedInBash_completesCommandsAndTheirOptions() {
        assertThat(completions("portcullis att")).containsExactlyInAnyOrder("attest", "attestors");
        assertThat(completions("portcullis attestors public-keys ")).contains("add", "remove", "list");
        assertThat(completions("portcullis attest create --pay")).contains("--payload", "--payload-file");
        assertThat(completions("portcullis attestors public-keys add --pkix")).contains("--pkix-public-key-file",
                "--pkix-public-key-algorithm");
    }

    @Test
    void completion_otherShell_isRefusedNamingTheTwo() {
        Launcher.Result r = portcullis(Map.of(), "completion", "fish");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("portcullis completion: SHELL must be bash or zsh, not 'fish'\n");
        Launcher.Result zsh = portcullis(Map.of(), "completion", "zsh");
        assertThat(zsh.exitCode()).isZero();
        assertThat(zsh.out()).contains("bashcompinit", "complete -F _complete_portcullis");
    }

    @Test
    void createSignaturePayload_asProcess_printsThePayload() {
        Launcher.Result r = portcullis(Map.of(), "attest", "create-signature-payload", "--artifact-url", ARTIFACT);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.out()).contains("\"docker-manifest-digest\": \"sha256:" + "5e".repeat(32) + "\"").endsWith("}\n");
    }

    @Test
    void createSignaturePayload_tagInsteadOfDigest_saysWhyOnStderr() {
        Launcher.Result r = portcullis(Map.of(), "attest", "create-signature-payload", "--artifact-url", "registry.local/app:1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("TAG_NOT_DIGEST");
    }

    /** The commands that call the server, with what they need besides it. */
    static Stream<List<String>> serverCommands() {
        return Stream.of(
                List.of("attest", "create", "--attestor", "projects/p/attestors/ci", "--artifact-url", ARTIFACT,
                        "--signature-file", "signed.asc", "--pgp-signed"),
                List.of("policy", "import", "policy.yaml"),
                List.of("policy", "export"),
                List.of("policy", "evaluate", "--image", ARTIFACT),
                List.of("attestors", "list"),
                List.of("attestors", "delete", "projects/p/attestors/ci"));
    }

    @ParameterizedTest
    @MethodSource("serverCommands")
    void serverCommand_serveNotRunning_saysCannotReachConnectionRefused(List<String> command) {
        String server = "http://127.0.0.1:" + Processes.freePort();
        Launcher.Result r = portcullis(Map.of("PORTCULLIS_SERVER", server, "PORTCULLIS_ADMIN_TOKEN", "t"),
                command.toArray(String[]::new));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).as(r.describe()).isEqualTo("portcullis " + command.get(0) + " " + command.get(1)
                + ": cannot reach " + server + ": connection refused\n");
    }

    @Test
    void lintNotify_hookNotListening_saysCannotNotifyConnectionRefused() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM node:20.11.0-alpine3.19\nUSER node\n");
        Files.writeString(dir.resolve("catalog.yaml"), "images:\n  node: [20.11.1-alpine3.19]\n");
        String hook = "http://127.0.0.1:" + Processes.freePort() + "/hook";
        Launcher.Result r = portcullis(Map.of(), "lint", "--fix", "--catalog", "catalog.yaml", "--notify", hook, "Dockerfile");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).as(r.describe()).contains("portcullis lint: cannot notify " + hook + ": connection refused");
    }

    // One serve for the tests that need one, started by the first of them.
    private static Map<String, String> againstServe() throws Exception {
        if (serve == null) {
            serve = ServeProcess.start(dir, Launcher.environment(dir, Map.of()), "./portcullis serve", Processes.freePort());
        }
        return Map.of("PORTCULLIS_SERVER", serve.url());
    }

    @Test
    void attestorsCommands_againstServe_createListDescribeKeysAndDelete() throws Exception {
        Map<String, String> env = againstServe();
        String name = "projects/p/attestors/cli";
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        Files.writeString(dir.resolve("cli-key.pub"), Pem.write(g.generateKeyPair().getPublic()));

        Launcher.Result created = portcullis(env, "attestors", "create", name, "--description", "built by CI");
        assertThat(created.exitCode()).as(created.describe()).isZero();
        assertThat(portcullis(env, "attestors", "create", name).exitCode()).as("twice").isEqualTo(1);
        Launcher.Result added = portcullis(env, "attestors", "public-keys", "add", "--attestor", name,
                "--pkix-public-key-file", "cli-key.pub", "--pkix-public-key-algorithm", "ECDSA_P256_SHA256");
        assertThat(added.exitCode()).as(added.describe()).isZero();
        String keyId = added.out().strip();
        assertThat(keyId).startsWith("ni:///sha-256;");

        Launcher.Result list = portcullis(env, "attestors", "list");
        assertThat(list.exitCode()).as(list.describe()).isZero();
        assertThat(list.out()).startsWith("NAME").containsPattern("NAME +NOTE +KEYS +DESCRIPTION\n")
                .containsPattern(name + " +projects/\\S+/notes/\\S+ +1 +built by CI\n");
        Launcher.Result described = portcullis(env, "attestors", "describe", name);
        assertThat(described.exitCode()).as(described.describe()).isZero();
        assertThat(described.out()).contains("\"name\":\"" + name + "\"", keyId);

        Launcher.Result removed = portcullis(env, "attestors", "public-keys", "remove", keyId, "--attestor", name);
        assertThat(removed.exitCode()).as(removed.describe()).isZero();
        Launcher.Result keys = portcullis(env, "attestors", "public-keys", "list", "--attestor", name);
        assertThat(keys.exitCode()).as(keys.describe()).isZero();
        assertThat(keys.out()).containsPattern("\\Q" + keyId + "\\E +PKIX +ECDSA_P256_SHA256 +20\\d\\d-");

        Launcher.Result deleted = portcullis(env, "attestors", "delete", name);
        assertThat(deleted.exitCode()).as(deleted.describe()).isZero();
        Launcher.Result gone = portcullis(env, "attestors", "describe", name);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("no attestor named " + name);
    }

    @Test
    void attestCommands_gcloudFlagNamesAndNoteName_signVerifyAndCreateForTheNotesAttestor() throws Exception {
        Map<String, String> env = againstServe();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        Files.writeString(dir.resolve("gc-key.pem"), Pem.write(kp.getPrivate()));
        Files.writeString(dir.resolve("gc-key.pub"), Pem.write(kp.getPublic()));
        assertThat(portcullis(env, "attestors", "create", "projects/p/attestors/gc").exitCode()).isZero();
        Launcher.Result added = portcullis(env, "attestors", "public-keys", "add", "--attestor=projects/p/attestors/gc",
                "--pkix-public-key-file=gc-key.pub", "--pkix-public-key-algorithm=ecdsa-p256-sha256");
        assertThat(added.exitCode()).as(added.describe()).isZero();
        String keyId = added.out().strip();
        Files.writeString(dir.resolve("gc-payload.json"), portcullis(env, "attest", "create-signature-payload",
                "--artifact-url=" + ARTIFACT).out());

        Launcher.Result signed = portcullis(env, "attest", "sign", "--payload-file=gc-payload.json", "--pkix-private-key=gc-key.pem",
                "--pkix-public-key-algorithm=ecdsa-p256-sha256", "--signature-file=gc-payload.sig");
        assertThat(signed.exitCode()).as(signed.describe()).isZero();
        Launcher.Result verified = portcullis(env, "attest", "verify", "--artifact-url=" + ARTIFACT, "--payload-file=gc-payload.json",
                "--signature-file=gc-payload.sig", "--pkix-public-key-file=gc-key.pub", "--pkix-public-key-algorithm=ecdsa-p256-sha256");
        assertThat(verified.exitCode()).as(verified.describe()).isZero();
        Launcher.Result created = portcullis(env, "attest", "create", "--artifact-url=" + ARTIFACT, "--note=projects/p/notes/gc",
                "--payload-file=gc-payload.json", "--signature-file=gc-payload.sig", "--public-key-id=" + keyId, "--validate");
        assertThat(created.exitCode()).as(created.describe()).isZero();
        assertThat(created.out()).contains("\"attestor\":\"projects/p/attestors/gc\"");

        Launcher.Result unknown = portcullis(env, "attest", "create", "--artifact-url=" + ARTIFACT, "--note=projects/p/notes/nobody",
                "--payload-file=gc-payload.json", "--signature-file=gc-payload.sig", "--public-key-id=" + keyId);
        assertThat(unknown.exitCode()).as(unknown.describe()).isEqualTo(1);
        assertThat(unknown.err()).contains("UNKNOWN_ATTESTOR", "note projects/p/notes/nobody belongs to no attestor");
    }

    @Test
    void attestorsCreate_gcloudNoteFlags_attestationsNamingThatNoteAreTheAttestorsAndItsNamesNoteIsNot() throws Exception {
        Map<String, String> env = againstServe();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        Files.writeString(dir.resolve("bound-key.pem"), Pem.write(kp.getPrivate()));
        Files.writeString(dir.resolve("bound-key.pub"), Pem.write(kp.getPublic()));
        Launcher.Result made = portcullis(env, "attestors", "create", "projects/p/attestors/bound",
                "--attestation-authority-note=vouched", "--attestation-authority-note-project=q", "--description=bound by note");
        assertThat(made.exitCode()).as(made.describe()).isZero();
        Launcher.Result described = portcullis(env, "attestors", "describe", "projects/p/attestors/bound");
        assertThat(described.out()).as(described.describe()).contains("\"userOwnedGrafeasNote\":{\"noteReference\":\"projects/q/notes/vouched\"}");
        String keyId = portcullis(env, "attestors", "public-keys", "add", "--attestor=projects/p/attestors/bound",
                "--pkix-public-key-file=bound-key.pub", "--pkix-public-key-algorithm=ecdsa-p256-sha256").out().strip();
        Files.writeString(dir.resolve("bound-payload.json"), portcullis(env, "attest", "create-signature-payload",
                "--artifact-url=" + ARTIFACT).out());
        assertThat(portcullis(env, "attest", "sign", "--payload-file=bound-payload.json", "--pkix-private-key=bound-key.pem",
                "--pkix-public-key-algorithm=ecdsa-p256-sha256", "--signature-file=bound-payload.sig").exitCode()).isZero();

        Launcher.Result created = portcullis(env, "attest", "create", "--artifact-url=" + ARTIFACT, "--note=projects/q/notes/vouched",
                "--payload-file=bound-payload.json", "--signature-file=bound-payload.sig", "--public-key-id=" + keyId);
        assertThat(created.exitCode()).as(created.describe()).isZero();
        assertThat(created.out()).contains("\"attestor\":\"projects/p/attestors/bound\"");
        Launcher.Result byName = portcullis(env, "attest", "create", "--artifact-url=" + ARTIFACT, "--note=projects/p/notes/bound",
                "--payload-file=bound-payload.json", "--signature-file=bound-payload.sig", "--public-key-id=" + keyId);
        assertThat(byName.exitCode()).as(byName.describe()).isEqualTo(1);
        assertThat(byName.err()).contains("UNKNOWN_ATTESTOR", "note projects/p/notes/bound belongs to no attestor");

        Launcher.Result taken = portcullis(env, "attestors", "create", "projects/q/attestors/vouched", "--attestation-authority-note=vouched");
        assertThat(taken.exitCode()).as(taken.describe()).isEqualTo(1);
        assertThat(taken.err()).contains("projects/q/notes/vouched is the note of attestor projects/p/attestors/bound");
        Launcher.Result misused = portcullis(env, "attestors", "create", "projects/q/attestors/x", "--attestation-authority-note-project=q");
        assertThat(misused.exitCode()).isEqualTo(2);
        assertThat(misused.err()).isEqualTo("portcullis attestors create: --attestation-authority-note-project needs "
                + "--attestation-authority-note\n");
    }

    @Test
    void serve_everyAddress_startLineSaysToSetPublicUrlAndThenTheRealmIsIt() throws Exception {
        Path own = Files.createDirectories(dir.resolve("public-url"));   // a data directory of its own
        Launcher.install(own);
        int port = Processes.freePort();
        String everywhere = "env PORTCULLIS_SERVER_ADDR=0.0.0.0:" + port + " ./portcullis serve";
        try (ServeProcess s = ServeProcess.start(own, Launcher.environment(own, Map.of()), everywhere, port)) {
            assertThat(s.stdout()).contains("portcullis: warning: listening on every address (0.0.0.0) without server.public_url",
                    "realm: \"http://127.0.0.1:" + port + "/auth\"");
        }
        try (ServeProcess s = ServeProcess.start(own, Launcher.environment(own,
                Map.of("PORTCULLIS_SERVER_PUBLIC_URL", "https://auth.example.com")), everywhere, port)) {
            assertThat(s.stdout()).contains("realm: \"https://auth.example.com/auth\"").doesNotContain("public_url");
        }
    }

    @Test
    void metrics_servedByTheBuiltJar_buildInfoCarriesTheBuildsVersionAndCommit() throws Exception {
        Map<String, String> env = againstServe();
        String line = portcullis(Map.of(), "--version").out().strip();
        assertThat(line).matches("portcullis [0-9][0-9A-Za-z.+_-]* \\(commit [0-9a-f]{7,40}(-dirty)?\\)");
        String version = line.split(" ")[1];
        String commit = line.replaceAll(".*\\(commit (.*)\\)", "$1");
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(env.get("PORTCULLIS_SERVER") + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).containsPattern("portcullis_build_info\\{[^}]*version=\"\\Q" + version + "\\E\"[^}]*\\} 1");
        // Built from this checkout: the commit it was built from, not "unknown", the same as --version names.
        assertThat(r.body()).containsPattern("portcullis_build_info\\{[^}]*commit=\"\\Q" + commit + "\\E\"");
    }

    @Test
    void policyCommands_againstServe_printTheServersAnswers() throws Exception {
        Map<String, String> env = againstServe();

        Launcher.Result refused = portcullis(env, "policy", "import", "bad-policy.yaml");
        assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
        assertThat(refused.err()).contains("evaluationMode must be");
        Launcher.Result unknown = portcullis(env, "policy", "import", "missing-attestor-policy.yaml");
        assertThat(unknown.exitCode()).as(unknown.describe()).isEqualTo(1);
        assertThat(unknown.err()).contains("the policy requires attestor projects/p/attestors/missing, which does not exist");
        Launcher.Result imported = portcullis(env, "policy", "import", "policy.yaml");
        assertThat(imported.exitCode()).as(imported.describe()).isZero();
        assertThat(imported.out()).contains("policy replaced");
        Launcher.Result exported = portcullis(env, "policy", "export");
        assertThat(exported.exitCode()).as(exported.describe()).isZero();
        assertThat(exported.out()).contains("ALWAYS_DENY");
        Launcher.Result denied = portcullis(env, "policy", "evaluate", "--image", ARTIFACT);
        assertThat(denied.exitCode()).as(denied.describe()).isEqualTo(1);
        assertThat(denied.out()).contains("\"allowed\":false", "ALWAYS_DENY");
    }
}
