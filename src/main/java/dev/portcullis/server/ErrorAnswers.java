package dev.portcullis.server;

import dev.portcullis.admin.AdminTokenException;
import dev.portcullis.admission.AdmissionException;
import dev.portcullis.attest.AttestationRejectedException;
import dev.portcullis.attest.IngestRefusedException;
import dev.portcullis.attest.InvalidFieldException;
import dev.portcullis.audit.AuditException;
import dev.portcullis.config.ConfigException;
import dev.portcullis.policy.PolicyException;
import dev.portcullis.registryauth.InvalidTokenRequestException;
import dev.portcullis.store.StoreException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.HttpRouting;
import java.util.Map;

/**
 * The one mapping from domain failures to the API's HTTP answers ({@code {"error": ...}}), registered
 * once on the routing as Helidon error handlers; routes throw, they do not catch. The token endpoint
 * keeps its own mapping: the registry's error body and its counters are part of its protocol.
 */
final class ErrorAnswers {
    private static final System.Logger LOG = System.getLogger(ErrorAnswers.class.getName());

    private ErrorAnswers() {}

    static void register(HttpRouting.Builder routing, io.micrometer.core.instrument.MeterRegistry metrics) {
        io.micrometer.core.instrument.Counter auditFailures = ServerMetrics.auditWriteFailures(metrics);
        routing.error(BadInput.class, badRequest());
        routing.error(ConfigException.class, badRequest());
        routing.error(PolicyException.class, badRequest());
        routing.error(AdmissionException.class, badRequest());
        routing.error(dev.portcullis.lineage.LineageException.class, badRequest());
        routing.error(InvalidTokenRequestException.class, badRequest());
        routing.error(AttestationRejectedException.class, (req, res, e) -> JsonAnswer.send(res, Status.BAD_REQUEST_400,
                Map.of("reason", e.reason().name(), "error", e.getMessage())));
        // Near the memory limit: nothing was stored, decisions go on, and the client may try again later.
        routing.error(IngestRefusedException.class, (req, res, e) -> {
            res.header(io.helidon.http.HeaderNames.RETRY_AFTER, "60");
            JsonAnswer.send(res, Status.SERVICE_UNAVAILABLE_503, Map.of("reason", "MEMORY_LIMIT", "error", e.getMessage()));
        });
        routing.error(InvalidFieldException.class, (req, res, e) -> JsonAnswer.send(res, Status.BAD_REQUEST_400,
                Map.of("field", e.field(), "error", e.getMessage())));
        routing.error(AdminTokenException.class, (req, res, e) -> JsonAnswer.send(res, switch (e.kind()) {
            case INVALID -> Status.BAD_REQUEST_400;
            case EXISTS -> Status.CONFLICT_409;
            case UNKNOWN -> Status.NOT_FOUND_404;
        }, Map.of("error", e.getMessage())));
        routing.error(RequestBody.TooLarge.class, (req, res, e) -> JsonAnswer.send(res, Status.REQUEST_ENTITY_TOO_LARGE_413,
                Map.of("error", e.getMessage())));
        ErrorHandler<AuditException> auditDown = unavailable();
        routing.error(AuditException.class, (req, res, e) -> {
            auditFailures.increment();
            auditDown.handle(req, res, e);
        });
        routing.error(StoreException.class, unavailable());
    }

    private static <T extends RuntimeException> ErrorHandler<T> badRequest() {
        return (req, res, e) -> JsonAnswer.send(res, Status.BAD_REQUEST_400, Map.of("error", e.getMessage()));
    }

    private static <T extends RuntimeException> ErrorHandler<T> unavailable() {
        return (req, res, e) -> {
            // The cause may quote SQL and the values it was given: it goes to the operator's log only.
            LOG.log(System.Logger.Level.WARNING, req.prologue().method().text() + " " + req.path().path() + ": " + e.getMessage());
            JsonAnswer.send(res, Status.SERVICE_UNAVAILABLE_503, Map.of("error",
                    "cannot decide now: the store or the audit log is unavailable (the cause is in the server's log)"));
        };
    }
}
