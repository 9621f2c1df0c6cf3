package dev.portcullis.inventory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A set's rate limit: at most {@code perSecond} requests to its source (pages included), spaced evenly. */
public final class Pacer {
    private final long intervalNanos;
    private long nextFree = Long.MIN_VALUE;

    /** @param perSecond requests a second; 0 means no limit */
    public Pacer(double perSecond) {
        if (perSecond < 0 || Double.isNaN(perSecond)) {
            throw new IllegalArgumentException("a rate limit is 0 (none) or more requests a second");
        }
        this.intervalNanos = perSecond == 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
    }

    /** Waits until the next request may be sent; an interrupt ends the wait (and the refresh with it). */
    public synchronized void acquire() {
        if (intervalNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        long at = nextFree == Long.MIN_VALUE || now - nextFree > 0 ? now : nextFree;
        nextFree = at + intervalNanos;
        while (at - System.nanoTime() > 0) {
            LockSupport.parkNanos(at - System.nanoTime());
            if (Thread.currentThread().isInterrupted()) {
                throw new SourceException("stopped while waiting for the rate limit");
            }
        }
    }
}
