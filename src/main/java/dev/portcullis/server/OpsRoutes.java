package dev.portcullis.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;

/** {@code /healthz} (the process answers), {@code /readyz} (the store answers), {@code /metrics} (Prometheus). */
final class OpsRoutes {
    private OpsRoutes() {}

    static void register(HttpRouting.Builder routing, PrometheusMeterRegistry metrics, BooleanSupplier ready) {
        routing.get("/healthz", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("ok\n");
        });
        routing.get("/readyz", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            if (ready.getAsBoolean()) {
                res.send("ready\n");
            } else {
                res.status(Status.SERVICE_UNAVAILABLE_503).send("not ready: the store does not answer\n");
            }
        });
        routing.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(metrics.scrape());
        });
    }
}
