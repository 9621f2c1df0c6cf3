package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code serve} finds and leaves in {@code data_dir}: the admin token file, and who may read it all. */
class DataDirectoryTest {
    @TempDir
    Path dir;

    private Application start(Path dataDir) {
        return Application.start(ConfigDocument.parse("server: {addr: \"127.0.0.1:0\"}\ndata_dir: \"" + dataDir + "\"\n",
                "auth.yml", Map.of()), Clock.systemUTC());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "\n", "   \t\n", "short\n"})
    void start_emptyOrBlankAdminTokenFile_isAConfigurationErrorNamingTheFile(String content) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("admin.token"), content);
        assertThatThrownBy(() -> start(data).close()).isInstanceOf(ConfigException.class)
                .hasMessageContaining(data.resolve("admin.token").toString())
                .hasMessageContaining("at least 16 characters");
    }

    @Test
    void start_freshDataDir_isOwnerOnlyWithEveryFileInIt() throws Exception {
        Path data = dir.resolve("fresh").resolve("data");
        try (Application app = start(data)) {
            refusedWrites(app);
        }
        assertOwnerOnly(data);
    }

    @Test
    void start_dataDirLeftOpenByAnEarlierBuild_isClosedToOthers() throws Exception {
        Path data = dir.resolve("old");
        try (Application app = start(data)) {
            refusedWrites(app);
        }
        // As an earlier build left it: the directory and the store files readable by everyone.
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        try (Application app = start(data)) {
            assertOwnerOnly(data);
            refusedWrites(app);
        }
        assertOwnerOnly(data);
    }

    // Requests the store refuses: H2 writes refused statements, with their input, to a trace file by default.
    private static void refusedWrites(Application app) throws Exception {
        String token = Files.readString(app.adminTokenFile().orElseThrow()).strip();
        HttpClient http = HttpClient.newHttpClient();
        for (String body : List.of("{\"name\": \"dup\"}", "{\"name\": \"dup\"}", "{\"name\": \"long\", \"note\": \""
                + "n".repeat(2000) + "\"}")) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/attestors"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private static void assertOwnerOnly(Path data) throws Exception {
        try (Stream<Path> all = Files.walk(data)) {
            List<Path> paths = all.toList();
            assertThat(paths).extracting(p -> p.getFileName().toString()).contains("portcullis.mv.db", "admin.token", "token.key")
                    .noneMatch(n -> n.endsWith(".trace.db"));
            for (Path p : paths) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                assertThat(mode).as(data.relativize(p).toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
            }
        }
    }
}
