package dev.portcullis.server;

import dev.portcullis.inventory.Inventory;
import dev.portcullis.inventory.IpLiteral;
import dev.portcullis.inventory.Provider;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /inventory/v1/ip/{ip}} (an admin token): which inventory sets hold the address now; and
 * the inventory's metrics per set (size, age, last refresh's duration, refreshes, errors, throttled,
 * expired), registered once the sets are known.
 */
final class InventoryRoutes implements HttpService {
    static final String PATH = "/inventory/v1/ip";

    private final Supplier<Inventory> inventory;
    private final AdminApi api;
    private final MeterRegistry metrics;

    InventoryRoutes(Supplier<Inventory> inventory, AdminApi api, MeterRegistry metrics) {
        this.inventory = inventory;
        this.api = api;
        this.metrics = metrics;
        // The routes are built before the capabilities start, and a meter per set needs the sets:
        // registered as soon as the inventory is there (at zero, before its first refresh).
        // A start that failed never has one: the wait ends after an hour (a long migration stays well inside).
        Thread.ofVirtual().name("inventory-metrics").start(() -> {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.HOURS.toNanos(1);
            while (inventory.get() == null) {
                if (System.nanoTime() > deadline) {
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            registerMetrics();
        });
    }

    @Override
    public void routing(HttpRules r) {
        r.get(PATH + "/{ip}", api.guarded((req, res, who) -> {
            Inventory inv = inventory.get();
            String text = req.path().pathParameters().first("ip").orElse("");
            Optional<byte[]> address = IpLiteral.bytes(text);
            if (address.isEmpty()) {
                JsonAnswer.send(res, Status.BAD_REQUEST_400, Map.of("error", "'" + IpLiteral.printable(text)
                        + "' is not an IPv4 or IPv6 address", "field", "ip"));
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ip", IpLiteral.text(address.get()));
            body.put("sets", inv.holding(address.get()));
            JsonAnswer.send(res, Status.OK_200, body);
        }));
    }

    // The per-set meters, once the inventory has started (its sets are known then).
    private void registerMetrics() {
        for (Provider p : inventory.get().providers()) {
            gauge("portcullis.inventory.size", "Entries (addresses and blocks) in the set's snapshot in force", p,
                    x -> x.set().snapshot().members().entries());
            gauge("portcullis.inventory.age.seconds", "Seconds since the set's last good refresh (-1: never)", p,
                    x -> x.age().map(a -> a.toMillis() / 1000.0).orElse(-1.0));
            gauge("portcullis.inventory.expired", "1 while the set is empty for want of a good refresh within max_age (fail closed)",
                    p, x -> x.set().expired() ? 1 : 0);
            gauge("portcullis.inventory.refresh.duration.seconds", "How long the set's last refresh took", p,
                    x -> x.stats().lastDurationNanos() / 1e9);
            counter("portcullis.inventory.refreshes", "Refreshes of the set, failed ones included", p, x -> x.stats().refreshes());
            counter("portcullis.inventory.refresh.errors", "Failed refreshes of the set", p, x -> x.stats().errors());
            counter("portcullis.inventory.refresh.throttled", "Refreshes the source refused for load (429, RequestLimitExceeded)",
                    p, x -> x.stats().throttled());
        }
    }

    private void gauge(String name, String help, Provider p, ToDoubleFunction<Provider> f) {
        Gauge.builder(name, p, f).description(help).tags(List.of(io.micrometer.core.instrument.Tag.of("set", p.set().name()),
                io.micrometer.core.instrument.Tag.of("source", p.set().source()))).register(metrics);
    }

    private void counter(String name, String help, Provider p, ToDoubleFunction<Provider> f) {
        FunctionCounter.builder(name, p, f).description(help).tags(List.of(io.micrometer.core.instrument.Tag.of("set", p.set().name()),
                io.micrometer.core.instrument.Tag.of("source", p.set().source()))).register(metrics);
    }
}
