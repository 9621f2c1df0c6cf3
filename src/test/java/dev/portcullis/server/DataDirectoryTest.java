package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
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
}
