package dev.portcullis.image;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** A registry account for pulls (a robot account, say); the password never shows in toString. */
public record RegistryCredentials(String username, String password) {
    public RegistryCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty() || username.contains(":")) {
            throw new IllegalArgumentException("a registry username is not empty and has no ':'");
        }
    }

    /** The {@code Authorization} header's value for Basic authentication. */
    String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", password=****]";
    }
}
