package dev.portcullis.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.portcullis.store.FeedStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (the store answers and the change feed
 * follows it, with how far behind this replica is), {@code /metrics} (Prometheus).
 */
final class OpsRoutes {
    private OpsRoutes() {}

    static void register(HttpRouting.Builder routing, PrometheusMeterRegistry metrics, BooleanSupplier ready,
                         Supplier<Optional<FeedStatus>> feed, Clock clock) {
        routing.get("/healthz", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            res.send("ok\n");
        });
        routing.get("/readyz", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            Optional<FeedStatus> f = feed.get();
            String lag = f.map(s -> describe(s, clock)).orElse("");
            if (!ready.getAsBoolean()) {
                res.status(Status.SERVICE_UNAVAILABLE_503).send("not ready: the store does not answer\n" + lag);
            } else if (f.isPresent() && !f.get().reachable()) {
                // The cause (an address, a driver's message) is in the server's log, not on this unauthenticated route.
                res.status(Status.SERVICE_UNAVAILABLE_503).send("not ready: the change feed cannot reach the store\n" + lag);
            } else {
                res.send("ready\n" + lag);
            }
        });
        routing.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(metrics.scrape());
        });
    }

    // One line an operator or a probe script can read: how far behind this replica is.
    private static String describe(FeedStatus f, Clock clock) {
        Duration since = Duration.between(f.lastCatchUp(), clock.instant());
        return String.format(java.util.Locale.ROOT, "change_feed applied=%d newest=%d behind=%d seconds_since_catch_up=%.1f%n",
                f.applied(), f.newestSeen(), f.behind(), Math.max(0, since.toMillis()) / 1000.0);
    }
}
