package dev.portcullis.server;

import dev.portcullis.admin.AdminTokens;
import dev.portcullis.config.Secret;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The admin API's credential check: {@code Authorization: Bearer <token>}, the configured token (named
 * {@code admin}) or a named one from the store, each compared in constant time. The token's name is
 * who the audit log names for the call.
 */
final class AdminBearer {
    private final Secret configured;
    private final Supplier<AdminTokens> named;

    AdminBearer(Secret configured, Supplier<AdminTokens> named) {
        this.configured = configured;
        this.named = named;
    }

    /**
     * The caller, when the request carries a token in force; if not, the 401 has been sent. Throws
     * {@code StoreException} when the named tokens cannot be read (the caller answers 503).
     */
    Optional<String> admit(ServerRequest req, ServerResponse res) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (auth.startsWith("Bearer ")) {
            String presented = auth.substring(7).strip();
            boolean isConfigured = configured.matches(presented);
            // The store is asked either way, so the answer's time does not tell the configured token apart.
            Optional<String> name = named.get().nameOf(presented);
            if (isConfigured) {
                return Optional.of(AdminTokens.DEFAULT_NAME);
            }
            if (name.isPresent()) {
                return name;
            }
        }
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"portcullis-api\"");
        JsonAnswer.send(res, Status.UNAUTHORIZED_401, Map.of("error", "the admin API needs Authorization: Bearer <admin token>"));
        return Optional.empty();
    }
}
