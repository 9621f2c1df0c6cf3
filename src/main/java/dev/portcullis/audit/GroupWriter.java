package dev.portcullis.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Group commit for the audit logs: callers queue an event and wait; one thread hands whatever has
 * queued up to the sink in one call and releases every caller once the sink returns (or fails).
 */
final class GroupWriter implements AutoCloseable {
    /** Makes a batch of events durable, or throws. */
    interface Sink {
        void write(List<AuditEvent> batch) throws Exception;
    }

    static final Duration WAIT = Duration.ofSeconds(5);
    private static final int BATCH = 512;

    private record Pending(List<AuditEvent> events, CompletableFuture<Void> done) {}

    private final Sink sink;
    private final Runnable onStop;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(16_384);
    private final Thread thread;
    private volatile boolean closed;

    GroupWriter(String name, Sink sink, Runnable onStop) {
        this.sink = sink;
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

    private void drain() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                sink.write(batch.stream().flatMap(p -> p.events().stream()).toList());
                batch.forEach(p -> p.done().complete(null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            batch.clear();
        }
        onStop.run();
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
