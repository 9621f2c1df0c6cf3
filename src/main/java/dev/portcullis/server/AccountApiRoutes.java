package dev.portcullis.server;

import dev.portcullis.registryauth.TokenRequestParser;
import dev.portcullis.registryauth.TokenService;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /api/v1/accounts}: the token authority's accounts, behind an admin token. */
final class AccountApiRoutes implements HttpService {
    private static final String PREFIX = "/api/v1/accounts/";
    private static final String REVOKE = "/revoke-refresh-tokens";

    private final Supplier<TokenService> service;
    private final AdminApi api;

    /** The service is looked up per request: the listener starts while it is still being built. */
    AccountApiRoutes(Supplier<TokenService> service, AdminApi api) {
        this.service = service;
        this.api = api;
    }

    @Override
    public void routing(HttpRules r) {
        // Every refresh token issued for the account so far is refused from now on; it logs in again.
        // {+account}: an account name may hold a '/' (sent as %2F). Audited by the token authority,
        // with the admin token's name as the subject.
        r.post(PREFIX + "{+account}" + REVOKE, api.guarded((req, res, who) -> {
            String account = account(req.path().rawPath());
            long epoch = service.get().revokeRefreshTokens(account, who.name(), who.clientIp());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("account", account);
            body.put("epoch", epoch);
            body.put("status", "refresh tokens revoked");
            JsonAnswer.send(res, Status.OK_200, body);
        }));
    }

    // Decoded here, strictly, from the raw path: the router's decoding turns bytes that are not UTF-8
    // into U+FFFD, which would revoke an account nobody has and answer success.
    private static String account(String rawPath) {
        return TokenRequestParser.decodePathSegment(rawPath.substring(PREFIX.length(), rawPath.length() - REVOKE.length()));
    }
}
