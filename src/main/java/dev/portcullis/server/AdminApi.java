package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.admin.AdminTokenException;
import dev.portcullis.attest.AttestationRejectedException;
import dev.portcullis.attest.InvalidFieldException;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditException;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.AuditedChange;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.StrictJson;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.registryauth.InvalidTokenRequestException;
import dev.portcullis.store.StoreException;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every {@code /api/v1} route shares: the admin token check, the mapping of domain exceptions to
 * status codes, strict JSON bodies, and audited changes (the record first, naming the token, then the change).
 */
final class AdminApi {
    private static final System.Logger LOG = System.getLogger(AdminApi.class.getName());
    static final int MAX_BODY = 1024 * 1024;

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

    /** The handler: 401 without a token in force, 400 for bad input, 503 when the store or the audit log fails. */
    Handler guarded(Call call) {
        return (req, res) -> {
            try {
                Optional<String> name = bearer.admit(req, res);
                if (name.isPresent()) {
                    call.handle(req, res, new Admin(name.get(), clientAddress.of(req)));
                }
            } catch (AttestationRejectedException e) {
                TokenRoutes.send(res, Status.BAD_REQUEST_400, Map.of("reason", e.reason().name(), "error", e.getMessage()));
            } catch (InvalidFieldException e) {
                TokenRoutes.send(res, Status.BAD_REQUEST_400, Map.of("field", e.field(), "error", e.getMessage()));
            } catch (AdminTokenException e) {
                TokenRoutes.send(res, switch (e.kind()) {
                    case INVALID -> Status.BAD_REQUEST_400;
                    case EXISTS -> Status.CONFLICT_409;
                    case UNKNOWN -> Status.NOT_FOUND_404;
                }, Map.of("error", e.getMessage()));
            } catch (BadInput | ConfigException | PolicyException | InvalidTokenRequestException e) {
                TokenRoutes.send(res, Status.BAD_REQUEST_400, Map.of("error", e.getMessage()));
            } catch (AuditException | StoreException e) {
                // The cause may quote SQL and the values it was given: it goes to the operator's log only.
                LOG.log(System.Logger.Level.WARNING, req.prologue().method().text() + " " + req.path().path() + ": " + e.getMessage());
                TokenRoutes.send(res, Status.SERVICE_UNAVAILABLE_503, Map.of("error",
                        "cannot decide now: the store or the audit log is unavailable (the cause is in the server's log)"));
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

    static JsonNode json(ServerRequest req) {
        return json(req, MAX_BODY);
    }

    static JsonNode json(ServerRequest req, int maxBytes) {
        JsonNode n;
        try {
            n = StrictJson.read(body(req, maxBytes));
        } catch (StrictJson.InvalidJsonException e) {
            throw new BadInput("the body is not one JSON object: " + e.getMessage());
        }
        if (!n.isObject()) {
            throw new BadInput("the body must be a JSON object");
        }
        return n;
    }

    static byte[] body(ServerRequest req, int maxBytes) {
        try (InputStream in = req.content().inputStream()) {
            byte[] b = in.readNBytes(maxBytes + 1);
            if (b.length > maxBytes) {
                throw new BadInput("the body is larger than " + (maxBytes >> 20) + " MiB");
            }
            return b;
        } catch (IOException e) {
            throw new BadInput("cannot read the body");
        }
    }

    static String text(JsonNode b, String k) {
        JsonNode v = b.get(k);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new BadInput("field '" + k + "' is required");
        }
        return v.asText();
    }

    /** A request the API cannot use; answered 400. */
    static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }
    }
}
