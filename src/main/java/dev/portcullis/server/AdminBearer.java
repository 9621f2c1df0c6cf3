package dev.portcullis.server;

import dev.portcullis.config.Secret;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/** The admin API's credential check: {@code Authorization: Bearer <admin token>}, compared in constant time. */
final class AdminBearer {
    private AdminBearer() {}

    /** Whether the request carries the admin token; if not, the 401 has been sent. */
    static boolean admits(ServerRequest req, ServerResponse res, Secret adminToken) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (auth.startsWith("Bearer ") && adminToken.matches(auth.substring(7).strip())) {
            return true;
        }
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"portcullis-api\"");
        JsonAnswer.send(res, Status.UNAUTHORIZED_401, Map.of("error", "the admin API needs Authorization: Bearer <admin token>"));
        return false;
    }
}
