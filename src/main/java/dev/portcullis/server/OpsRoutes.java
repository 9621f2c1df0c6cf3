package dev.portcullis.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (the store answers, every capability is
 * ready and its background work healthy), {@code /metrics} (Prometheus). The platform's own routes,
 * not a capability's.
 */
final class OpsRoutes implements HttpService {
    private final PrometheusMeterRegistry metrics;
    private final Supplier<Optional<String>> notReady;

    /** @param notReady why the process is not ready, empty when it is */
    OpsRoutes(PrometheusMeterRegistry metrics, Supplier<Optional<String>> notReady) {
        this.metrics = metrics;
        this.notReady = notReady;
    }

    @Override
    public void routing(HttpRules routing) {
        routing.get("/healthz", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("ok\n");
        });
        routing.get("/readyz", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            Optional<String> why = notReady.get();
            if (why.isEmpty()) {
                res.send("ready\n");
            } else {
                res.status(Status.SERVICE_UNAVAILABLE_503).send("not ready: " + why.get() + "\n");
            }
        });
        routing.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(metrics.scrape());
        });
    }
}
