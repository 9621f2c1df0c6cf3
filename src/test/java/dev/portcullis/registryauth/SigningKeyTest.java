package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.ConfigDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {
    @TempDir
    Path dir;

    private static TokenSettings settings(String yaml) {
        return TokenSettings.from(ConfigDocument.parse(yaml, "t.yml", Map.of()).root().section("token"));
    }

    @Test
    void load_firstStart_generatesKeyOnceAndReusesIt() throws Exception {
        SigningKey first = SigningKeys.load(settings("token: {}"), dir, Clock.systemUTC());
        SigningKey second = SigningKeys.load(settings("token: {}"), dir, Clock.systemUTC());
        assertThat(first.keyId()).isEqualTo(second.keyId());
        assertThat(Files.getPosixFilePermissions(dir.resolve("token.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        assertThat(first.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void keyId_legacy_isTwelveGroupsOfFourBase32() {
        SigningKey key = SigningKeys.load(settings("token: {}"), dir, Clock.systemUTC());
        assertThat(key.keyId()).matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}");
        assertThat(key.algorithm().getName()).isEqualTo("ES256");
    }

    @Test
    void keyId_disableLegacy_isRfc7638Thumbprint() throws Exception {
        SigningKey key = SigningKeys.load(settings("token: {disable_legacy_key_id: true}"), dir, Clock.systemUTC());
        assertThat(key.keyId()).isEqualTo(key.publicJwk().computeThumbprint().toString()).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void keyId_opensslKey_isTheKidLibtrustGivesIt() throws Exception {
        // An openssl-made key and the key id computed from it by openssl and coreutils (README.md beside the files).
        Path fixtures = Path.of(SigningKeyTest.class.getResource("libtrust/token.crt").toURI()).getParent();
        SigningKey key = SigningKeys.load(settings("token: {certificate: \"" + fixtures.resolve("token.crt") + "\", key: \""
                + fixtures.resolve("token.key") + "\"}"), dir, Clock.systemUTC());
        assertThat(key.keyId()).isEqualTo(Files.readString(fixtures.resolve("token.kid")).strip())
                .isEqualTo("HEFQ:SI67:PD6F:7C6I:D6DL:PLN7:QC7N:O266:6R6X:33HC:PO7G:O6NL");
        assertThat(key.publicJwk().getKeyID()).isEqualTo(key.keyId());
    }
}
