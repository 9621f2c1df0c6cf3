package dev.portcullis.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (the store answers, the audit log takes
 * events, every capability is ready and its background work healthy: JSON with a reason per part
 * that is not ready), {@code /metrics} (Prometheus). The platform's own routes, not a capability's.
 */
final class OpsRoutes implements HttpService {
    private final PrometheusMeterRegistry metrics;
    private final Supplier<Map<String, String>> notReady;
    private final Supplier<Map<String, String>> details;

    /**
     * @param notReady why the process is not ready, per part ({@code store}, {@code audit}, a capability); empty when it is
     * @param details  what is told either way, e.g. how far behind the change feed this replica is
     */
    OpsRoutes(PrometheusMeterRegistry metrics, Supplier<Map<String, String>> notReady, Supplier<Map<String, String>> details) {
        this.metrics = metrics;
        this.notReady = notReady;
        this.details = details;
    }

    @Override
    public void routing(HttpRules routing) {
        routing.get("/healthz", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("ok\n");
        });
        routing.get("/readyz", (req, res) -> {
            Map<String, String> why = notReady.get();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ready", why.isEmpty());
            body.putAll(why);
            body.putAll(details.get());
            JsonAnswer.send(res, why.isEmpty() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
        });
        routing.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(metrics.scrape());
        });
    }
}
