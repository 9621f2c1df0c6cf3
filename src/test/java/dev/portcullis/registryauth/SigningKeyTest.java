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
    void libtrustKeyId_knownKey_matchesOpensslDerivation() throws Exception {
        // The same derivation done by hand: SHA-256 over the DER public key, 30 bytes, base32.
        SigningKey key = SigningKeys.load(settings("token: {}"), dir, Clock.systemUTC());
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(key.chain().get(0).getPublicKey().getEncoded());
        String expectedStart = base32FirstFive(hash);
        assertThat(key.keyId()).startsWith(expectedStart.substring(0, 4) + ":" + expectedStart.charAt(4));
    }

    private static String base32FirstFive(byte[] h) {
        String a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        long bits = 0;
        for (int i = 0; i < 5; i++) {
            bits = (bits << 8) | (h[i] & 0xff);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 7; i >= 3; i--) {
            b.append(a.charAt((int) ((bits >> (i * 5)) & 31)));
        }
        return b.toString();
    }
}
