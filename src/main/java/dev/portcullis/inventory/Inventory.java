package dev.portcullis.inventory;

import dev.portcullis.platform.BackgroundWork;
import dev.portcullis.platform.Contribution;
import dev.portcullis.platform.Module;
import dev.portcullis.workload.Workloads;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The running inventory: its named sets, each refreshed by its own {@link Provider} on two shared
 * threads (a refresh is I/O and short; the look-ups never run on them). Handed to the token authority
 * as a contribution, so that {@code @inventory:NAME} in an ACL reads the live set.
 */
public final class Inventory implements Module {
    /** The inventory handed to the capabilities started after it (the token authority's ACL). */
    public static final Contribution<Inventory> CONTRIBUTION = new Contribution<>("inventory", Inventory.class);

    private final Map<String, Provider> providers;
    private final ScheduledExecutorService executor;

    private Inventory(Map<String, Provider> providers, ScheduledExecutorService executor) {
        this.providers = providers;
        this.executor = executor;
    }

    /** The inventory of these settings, without a cluster's pods; nothing is fetched until its background work starts. */
    public static Inventory start(InventorySettings settings, Clock clock) {
        return start(settings, clock, Optional.empty());
    }

    /**
     * The inventory of these settings, its {@code kubernetes} sets reading the pods {@code workloads}
     * watches (a start error naming {@code kubernetes.enabled} when it does not); nothing is fetched
     * until its background work starts.
     */
    public static Inventory start(InventorySettings settings, Clock clock, Optional<Workloads> workloads) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(Math.min(2, Math.max(1, settings.sets().size())),
                r -> {
                    Thread t = new Thread(r, "inventory-refresh");
                    t.setDaemon(true);
                    return t;
                });
        executor.setRemoveOnCancelPolicy(true);
        Map<String, Provider> out = new LinkedHashMap<>();
        for (InventorySettings.SetSettings s : settings.sets()) {
            Source source = SourceSettings.open(s.source(), workloads);
            InventorySet set = new InventorySet(s.name(), source.kind(), s.schedule().maxAge(), clock);
            out.put(s.name(), new Provider(set, source, s.schedule(), executor, clock, ThreadLocalRandom.current()));
        }
        return new Inventory(Map.copyOf(out), executor);
    }

    /** An inventory of no sets (what the token authority sees without an {@code inventory} section). */
    public static Inventory none() {
        return new Inventory(Map.of(), null);
    }

    /** The live set of this name, if there is one. */
    public Optional<InventorySet> set(String name) {
        return Optional.ofNullable(providers.get(name)).map(Provider::set);
    }

    /** The providers, by set name in no particular order. */
    public List<Provider> providers() {
        return providers.values().stream().sorted((a, b) -> a.set().name().compareTo(b.set().name())).toList();
    }

    /** The names of the sets that hold the address (4 or 16 bytes) now, sorted. */
    public List<String> holding(byte[] address) {
        List<String> out = new ArrayList<>();
        for (Provider p : providers()) {
            if (p.set().contains(address)) {
                out.add(p.set().name());
            }
        }
        return out;
    }

    @Override
    public List<BackgroundWork> background() {
        return List.copyOf(providers());
    }

    @Override
    public <T> List<T> contributions(Contribution<T> kind) {
        return kind.equals(CONTRIBUTION) ? List.of(kind.type().cast(this)) : List.of();
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Provider p : providers()) {
            out.put("inventory." + p.set().name(), p.status());
        }
        return out;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
