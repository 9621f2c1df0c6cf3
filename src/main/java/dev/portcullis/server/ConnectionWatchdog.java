package dev.portcullis.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cuts off connections whose head, body or idle wait outlasts the listener's limits: one daemon thread
 * looks at every open connection four times a second (10,000 connections cost it well under a
 * millisecond a pass), so no connection needs a timer of its own.
 */
final class ConnectionWatchdog implements AutoCloseable {
    private final Set<GuardedStream> streams = ConcurrentHashMap.newKeySet();
    private final ListenerLimits limits;
    private final Thread thread;
    private final AtomicLong expired = new AtomicLong();
    private volatile boolean running = true;

    ConnectionWatchdog(ListenerLimits limits) {
        this.limits = limits;
        this.thread = Thread.ofPlatform().daemon().name("portcullis-connection-watchdog").start(this::run);
    }

    void add(GuardedStream stream) {
        streams.add(stream);
    }

    void remove(GuardedStream stream) {
        streams.remove(stream);
    }

    /** Connections closed for being too slow since the start. */
    long expired() {
        return expired.get();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (GuardedStream s : streams) {
                try {
                    if (s.expireIfOverdue(limits, now)) {
                        expired.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    // closing a socket that is already gone: nothing to do
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
