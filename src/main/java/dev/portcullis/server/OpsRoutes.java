package dev.portcullis.server;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (the store answers and the audit log takes
 * events: JSON with a reason per part that is not ready), {@code /metrics} (Prometheus).
 */
final class OpsRoutes {
    private OpsRoutes() {}

    static void register(HttpRouting.Builder routing, PrometheusMeterRegistry metrics, BooleanSupplier storeReady,
                         Supplier<Optional<String>> auditProblem) {
        routing.get("/healthz", (req, res) -> {
            res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("ok\n");
        });
        routing.get("/readyz", (req, res) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ready", true);
            if (!storeReady.getAsBoolean()) {
                body.put("store", "starting or does not answer");
            }
            // A decision whose record cannot be written does not take effect: a load balancer should
            // send clients to a replica whose log can.
            auditProblem.get().ifPresent(problem -> body.put("audit", problem));
            boolean ready = body.size() == 1;
            body.put("ready", ready);
            TokenRoutes.send(res, ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
        });
        routing.get("/metrics", (req, res) -> {
            res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(metrics.scrape());
        });
    }
}
