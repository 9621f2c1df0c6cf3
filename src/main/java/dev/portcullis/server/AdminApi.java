package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditedChange;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every {@code /api/v1} route shares: the admin token check, naming the caller, and audited
 * changes (the record first, naming the token, then the change). Failures are answered by the
 * routing's error handlers ({@link ErrorAnswers}).
 */
final class AdminApi {
    /** Who made the call: the admin token's name and the client address. */
    record Admin(String name, String clientIp) {}

    /** A route's work, once the caller is known. */
    interface Call {
        void handle(ServerRequest req, ServerResponse res, Admin who) throws Exception;
    }

    private final AdminBearer bearer;
    private final ClientAddress clientAddress;
    private final Supplier<AuditLog> audit;
    private final Clock clock;

    /** The audit log is looked up per request: the listener starts while it is still being opened. */
    AdminApi(AdminBearer bearer, ClientAddress clientAddress, Supplier<AuditLog> audit, Clock clock) {
        this.bearer = bearer;
        this.clientAddress = clientAddress;
        this.audit = audit;
        this.clock = clock;
    }

    /** The handler: 401 without a token in force; only the credential is checked here. */
    Handler guarded(Call call) {
        return (req, res) -> {
            Optional<String> name = bearer.admit(req, res);
            if (name.isPresent()) {
                call.handle(req, res, new Admin(name.get(), clientAddress.of(req)));
            }
        };
    }

    /** An audit record of a change by {@code who}, decided by its admin token. */
    AuditEvent event(Admin who, String capability, String action, String object, String decision, String rule, String detail) {
        return new AuditEvent(clock.instant(), capability, action, who.name(), who.clientIp(), object, decision, rule, detail);
    }

    /** The change, made only once its audit record ({@code allow}, rule: the admin token) is durable. */
    <T> T change(Admin who, String capability, String action, String object, String detail, Supplier<T> change) {
        return AuditedChange.apply(audit.get(), event(who, capability, action, object, "allow", "admin token " + who.name(),
                detail), change);
    }

    AuditLog audit() {
        return audit.get();
    }

    static String text(JsonNode b, String k) {
        JsonNode v = b.get(k);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new BadInput("field '" + k + "' is required");
        }
        return v.asText();
    }
}
