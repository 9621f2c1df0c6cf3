package dev.portcullis.inventory;

import dev.portcullis.platform.BackgroundWork;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * Refreshes one set from its source on the set's schedule: builds the new members off to the side
 * and swaps them in whole; a failure keeps the last good snapshot (until the set's maximum age) and
 * backs off. One refresh at a time per set; the next is scheduled when one ends.
 */
public final class Provider implements BackgroundWork {
    private static final Logger LOG = Logger.getLogger(Provider.class.getName());

    private final InventorySet set;
    private final Source source;
    private final Schedule schedule;
    private final Pacer pacer;
    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final RandomGenerator random;
    private volatile RefreshStats stats = RefreshStats.NONE;
    private volatile ScheduledFuture<?> next;
    private volatile boolean stopped;

    /** What the refreshes have done so far, read by metrics and status. */
    public record RefreshStats(long refreshes, long errors, long throttled, int failuresInRow, long lastDurationNanos,
                               Optional<Instant> lastAttempt, Optional<String> lastError) {
        static final RefreshStats NONE = new RefreshStats(0, 0, 0, 0, 0, Optional.empty(), Optional.empty());
    }

    Provider(InventorySet set, Source source, Schedule schedule, ScheduledExecutorService executor, Clock clock,
             RandomGenerator random) {
        this.set = set;
        this.source = source;
        this.schedule = schedule;
        this.pacer = new Pacer(schedule.rateLimit());
        this.executor = executor;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public String name() {
        return "inventory set " + set.name();
    }

    public InventorySet set() {
        return set;
    }

    public Schedule schedule() {
        return schedule;
    }

    public RefreshStats stats() {
        return stats;
    }

    /** How old the set's snapshot in force is, or empty if it was never fetched. */
    public Optional<Duration> age() {
        return set.snapshot().fetchedAt().map(at -> Duration.between(at, clock.instant()));
    }

    @Override
    public void start() {
        schedule(Duration.ZERO);
    }

    @Override
    public void stop() {
        stopped = true;
        ScheduledFuture<?> f = next;
        if (f != null) {
            f.cancel(true);
        }
        source.close();
    }

    // Healthy either way: an expired set answers no (fail closed) and says so in /readyz's details,
    // without taking the token authority out of the load balancer for every other login.
    @Override
    public Health health() {
        return new Health(true, status());
    }

    /** The set's state in words, for {@code /readyz}: fresh, stale (kept, with the error) or expired. */
    public String status() {
        RefreshStats s = stats;
        Optional<Instant> at = set.snapshot().fetchedAt();
        String error = s.lastError().map(e -> ": " + e).orElse("");
        if (at.isEmpty()) {
            return s.refreshes() == 0 ? "not fetched yet" : "empty (fail closed): never fetched" + error;
        }
        long age = Math.max(0, Duration.between(at.get(), clock.instant()).toSeconds());
        String members = set.snapshot().members().entries() + " entries";
        if (set.expired()) {
            return "empty (fail closed): the last good snapshot (" + members + ") is " + age + "s old, over max_age "
                    + set.maxAge().toSeconds() + "s" + error;
        }
        return s.failuresInRow() > 0 ? "stale: keeping " + members + " from " + age + "s ago" + error
                : "fresh: " + members + ", " + age + "s old";
    }

    /** Fetches once now; the delay before the next refresh is returned (tests call this directly). */
    Duration refreshOnce() {
        long t0 = System.nanoTime();
        Instant started = clock.instant();
        RefreshStats s = stats;
        try {
            Optional<List<Cidr>> fetched = source.fetch(pacer);
            Instant done = clock.instant();
            if (fetched.isPresent()) {
                set.replace(AddressSet.of(fetched.get()), done);
            } else {
                set.confirm(done);
            }
            stats = new RefreshStats(s.refreshes() + 1, s.errors(), s.throttled(), 0, System.nanoTime() - t0,
                    Optional.of(started), Optional.empty());
            if (s.failuresInRow() > 0) {
                LOG.info(() -> "inventory set " + set.name() + " refreshed again after " + s.failuresInRow() + " failures");
            }
            return schedule.nextDelay(0, Optional.empty(), random);
        } catch (RuntimeException e) {
            boolean throttled = e instanceof SourceException se && se.throttled();
            String why = e instanceof InventoryException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            stats = new RefreshStats(s.refreshes() + 1, s.errors() + 1, s.throttled() + (throttled ? 1 : 0), s.failuresInRow() + 1,
                    System.nanoTime() - t0, Optional.of(started), Optional.of(why));
            if (s.failuresInRow() == 0) {
                // Once per run of failures, not at every retry: the metrics count them.
                LOG.log(Level.WARNING, "inventory set " + set.name() + " (" + source.kind() + ") not refreshed: " + why);
            }
            Optional<Duration> asked = e instanceof SourceException se ? se.retryAfter() : Optional.empty();
            return schedule.nextDelay(s.failuresInRow() + 1, asked, random);
        }
    }

    private void schedule(Duration delay) {
        if (stopped) {
            return;
        }
        next = executor.schedule(() -> {
            Duration d = refreshOnce();
            schedule(d);
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
