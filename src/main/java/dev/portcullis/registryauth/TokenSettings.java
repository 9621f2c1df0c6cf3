package dev.portcullis.registryauth;

import dev.portcullis.config.ConfigSection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code token} section: docker_auth's keys ({@code issuer}, {@code expiration} in seconds,
 * {@code certificate}, {@code key}, {@code disable_legacy_key_id}) plus ours: {@code include_x5c}
 * (send the certificate chain in the header; default true) and {@code refresh_expiration}.
 */
public record TokenSettings(String issuer, Duration expiration, Optional<Path> certificate, Optional<Path> key,
                            boolean disableLegacyKeyId, boolean includeX5c, Duration refreshExpiration) {
    private static final Set<String> KEYS = Set.of("issuer", "expiration", "certificate", "key",
            "disable_legacy_key_id", "include_x5c", "refresh_expiration");

    public TokenSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(expiration, "expiration");
        Objects.requireNonNull(refreshExpiration, "refreshExpiration");
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("token.certificate and token.key go together");
        }
    }

    public static TokenSettings from(ConfigSection s) {
        s.rejectUnknown(KEYS);
        String issuer = s.string("issuer", "portcullis");
        if (issuer.isBlank()) {
            throw s.error("issuer", "must not be empty: the registry's auth.token.issuer must equal it");
        }
        int seconds = s.integer("expiration", 300, 1, 86_400);
        Optional<Path> cert = s.readableFile("certificate");
        Optional<Path> key = s.readableFile("key");
        if (cert.isPresent() != key.isPresent()) {
            throw s.error(cert.isPresent() ? "certificate" : "key", "needs both token.certificate and token.key");
        }
        return new TokenSettings(issuer, Duration.ofSeconds(seconds), cert, key,
                s.bool("disable_legacy_key_id", false), s.bool("include_x5c", true),
                s.duration("refresh_expiration", Duration.ofDays(30)));
    }
}
