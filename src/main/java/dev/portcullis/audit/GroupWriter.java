package dev.portcullis.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Group commit for the audit logs: callers queue an event and wait; one thread hands whatever has
 * queued up to the sink in one call and releases every caller once the sink returns (or fails).
 * The same thread gives the sink a tick about once a second for its upkeep (retention), and while
 * the last write failed it tries one small write a second, so that the log (and {@code /readyz})
 * recovers even when no decision comes to try it.
 */
final class GroupWriter implements AutoCloseable {
    /** Makes a batch of events durable, or throws. */
    interface Sink {
        void write(List<AuditEvent> batch) throws Exception;
    }

    static final Duration WAIT = Duration.ofSeconds(5);
    private static final int BATCH = 512;
    private static final long TICK_NANOS = Duration.ofSeconds(1).toNanos();

    private record Pending(List<AuditEvent> events, CompletableFuture<Void> done) {}

    private final Sink sink;
    private final Runnable tick;
    private final Clock clock;
    private final Runnable onStop;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(16_384);
    private final Thread thread;
    private volatile boolean closed;
    private volatile String failure;   // why the last write failed; null once one succeeded
    private long lastTick = System.nanoTime();

    /** {@code tick} is the sink's upkeep, run on the writer thread between batches about once a second. */
    GroupWriter(String name, Clock clock, Sink sink, Runnable tick, Runnable onStop) {
        this.sink = sink;
        this.tick = tick;
        this.clock = clock;
        this.onStop = onStop;
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::drain);
    }

    /**
     * Returns once the sink has taken the events, all in one of its calls; throws {@link AuditException}
     * when it failed or took too long.
     */
    void record(List<AuditEvent> events) {
        if (closed) {
            throw new AuditException("the audit log is closed", null);
        }
        if (events.isEmpty()) {
            return;
        }
        Pending p = new Pending(List.copyOf(events), new CompletableFuture<>());
        try {
            if (!queue.offer(p, WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AuditException("the audit log is not keeping up", null);
            }
            p.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while writing the audit log", e);
        } catch (ExecutionException e) {
            throw new AuditException("cannot write the audit log: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AuditException("the audit log did not answer within " + WAIT.toSeconds() + " s", e);
        }
    }

    /** Why the last write failed, while no later one has succeeded. */
    Optional<String> failure() {
        String f = failure;
        return f == null ? Optional.empty() : Optional.of("last append failed: " + f);
    }

    private void drain() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    write(batch.stream().flatMap(p -> p.events().stream()).toList());
                    batch.forEach(p -> p.done().complete(null));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            batch.clear();
            tickIfDue();
        }
        onStop.run();
    }

    private void write(List<AuditEvent> events) throws Exception {
        try {
            sink.write(events);
            failure = null;
        } catch (Exception e) {
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw e;
        }
    }

    private void tickIfDue() {
        long now = System.nanoTime();
        if (now - lastTick < TICK_NANOS || closed) {
            return;
        }
        lastTick = now;
        String failed = failure;
        try {
            if (failed != null && queue.isEmpty()) {
                write(List.of(new AuditEvent(clock.instant(), "audit", "append", "", "", "audit log", "recovered",
                        "the audit log can be written again", "after: " + failed)));
            }
            tick.run();
        } catch (Exception e) {
            // the next tick tries again; decisions meanwhile fail closed on their own writes
        }
    }

    /** Stops taking events and waits (a while) for the queued ones to be written. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
