package dev.portcullis.server;

import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.config.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The {@code api} section: the admin credential the {@code /api/v1} calls need, as a Bearer token.
 * Without {@code admin_token} (or {@code PORTCULLIS_API_ADMIN_TOKEN}) one is generated on first start in
 * {@code data_dir/admin.token}, readable by its owner only.
 */
record ApiSettings(Secret adminToken, Path tokenFile) {
    static final String TOKEN_FILE = "admin.token";
    private static final int MIN_TOKEN = 16;

    static ApiSettings from(ConfigSection s, Path dataDir) {
        s.rejectUnknown(Set.of("admin_token"));
        if (s.string("admin_token").isPresent()) {
            Secret t = s.secret("admin_token").orElseThrow();
            if (t.reveal().length() < MIN_TOKEN) {
                throw s.error("admin_token", "must be at least " + MIN_TOKEN + " characters");
            }
            return new ApiSettings(t, null);
        }
        Path file = dataDir.resolve(TOKEN_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] b = new byte[24];
                new SecureRandom().nextBytes(b);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, HexFormat.of().formatHex(b) + "\n");
            }
            String token = Files.readString(file).strip();
            // An empty file would make the admin API's credential the empty string: refuse to start.
            if (token.length() < MIN_TOKEN) {
                throw new ConfigException(file + ": the admin API token file is " + (token.isEmpty() ? "empty"
                        : "shorter than " + MIN_TOKEN + " characters") + "; put a token of at least " + MIN_TOKEN
                        + " characters in it, or delete the file to have one generated");
            }
            return new ApiSettings(Secret.of(token), file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ApiSettings[adminToken=****]";
    }
}
