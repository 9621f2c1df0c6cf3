package dev.portcullis.policy;

import dev.portcullis.attest.AttestationRetention;
import dev.portcullis.platform.BackgroundWork;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs retention of unasked attestations beside the requests: a sweep every {@link #interval} (a
 * twenty-fourth of the window, between a minute and an hour), of as many passes as it takes (one pass
 * per thousand digests). A failed pass leaves everything in place, is logged and audited by the
 * retention, and the next sweep tries again; it does not make the server unready.
 */
final class RetentionSweeper implements BackgroundWork {
    private static final System.Logger LOG = System.getLogger(RetentionSweeper.class.getName());
    private final AttestationRetention retention;
    private final Duration interval;
    private ScheduledExecutorService timer;

    RetentionSweeper(AttestationRetention retention, Duration window) {
        this.retention = retention;
        this.interval = interval(window);
    }

    /** How often a window's sweeps run: often enough that nothing stays much past it, rarely enough to cost nothing. */
    static Duration interval(Duration window) {
        Duration d = window.dividedBy(24);
        return d.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }

    @Override
    public String name() {
        return "attestation retention";
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("attestation-retention").daemon().factory());
        timer.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Passes until one leaves nothing more to remove, or one fails (the next sweep tries again). */
    void sweep() {
        try {
            AttestationRetention.Pass p;
            do {
                p = retention.pass();
                if (p.digests() > 0) {
                    LOG.log(System.Logger.Level.INFO, "attestation retention (" + retention.rule() + "): removed " + p.attestations()
                            + " attestation(s) of " + p.digests() + " digest(s)");
                }
            } while (p.full() && !Thread.currentThread().isInterrupted());
        } catch (RuntimeException e) {
            // A refused removal is logged and audited by the retention itself; the next sweep tries again.
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Health health() {
        return Health.ok();
    }
}
