package dev.portcullis.registryauth;

import java.util.List;
import java.util.Objects;

/**
 * A request for a token, from {@code GET /auth} or the OAuth2 {@code POST /auth} form.
 *
 * @param credentials  who asks (anonymous when no credentials were sent); unused for a refresh grant
 * @param refreshToken for {@code grant_type=refresh_token}, the token to exchange; else empty
 * @param offline      whether the client asked for a refresh token ({@code offline_token=true} or
 *                     {@code access_type=offline})
 * @param oauthForm    whether the answer uses the OAuth2 shape (POST)
 */
public record TokenRequest(Credentials credentials, String refreshToken, String service, List<Scope> scopes,
                           boolean offline, String clientId, String clientIp, boolean oauthForm) {
    static final int MAX_SCOPES = 64;

    public TokenRequest {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientIp, "clientIp");
        scopes = List.copyOf(scopes);
        if (scopes.size() > MAX_SCOPES) {
            throw new InvalidTokenRequestException("too many scopes: " + scopes.size() + " (at most " + MAX_SCOPES + ")");
        }
        if (service.length() > 256 || Text.printable(service).length() != service.length()) {
            throw new InvalidTokenRequestException("invalid service '" + Text.printable(service) + "'");
        }
        if (clientId.length() > 256 || Text.printable(clientId).length() != clientId.length()) {
            throw new InvalidTokenRequestException("invalid client_id");
        }
    }

    public boolean isRefresh() {
        return !refreshToken.isEmpty();
    }
}
