package dev.portcullis.registryauth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A token as handed out.
 *
 * @param refreshToken empty unless the client asked for an offline token
 */
public record TokenResponse(String token, long expiresInSeconds, Instant issuedAt, String refreshToken,
                            List<GrantedScope> granted) {
    public TokenResponse {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(refreshToken, "refreshToken");
        granted = List.copyOf(granted);
    }

    @Override
    public String toString() {
        return "TokenResponse[expiresIn=" + expiresInSeconds + ", granted=" + granted + "]";
    }
}
