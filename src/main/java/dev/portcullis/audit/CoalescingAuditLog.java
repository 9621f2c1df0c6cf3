package dev.portcullis.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Folds the denials a client can repeat at will ({@link #recordRepeated}): the first denial of a
 * source and rule in a window is written at once; later ones in that window are counted, and written
 * as one record ({@code repeated N times from ... to ...}, with the same rule) when the window has
 * ended (checked every second), when the same source is denied again after it, when too many sources
 * are pending, or at close. Everything else is written as it comes. A flood of failed logins from one
 * address costs a few records a minute instead of one each.
 */
public final class CoalescingAuditLog implements AuditLog {
    private static final int MAX_PENDING = 4_096;
    private static final int FLUSH_PER_CALL = 2;
    private static final int KEPT_CHARS = 256;
    private static final System.Logger LOG = System.getLogger(CoalescingAuditLog.class.getName());

    /** The denials of one source and rule in one window, with what the summary needs (clipped, so memory stays bounded). */
    private static final class Run {
        final String source;
        final AuditEvent first;
        final Instant end;
        int repeats;
        Instant lastTime;
        boolean subjectsVary;
        boolean objectsVary;
        boolean addressesVary;
        boolean detailsVary;

        Run(String source, AuditEvent e, Instant end) {
            this.source = clip(source);
            this.first = new AuditEvent(e.time(), e.capability(), e.action(), clip(e.subject()), clip(e.clientIp()),
                    clip(e.object()), e.decision(), e.rule(), clip(e.detail()));
            this.end = end;
        }

        void add(AuditEvent e) {
            repeats++;
            lastTime = e.time();
            subjectsVary |= !first.subject().equals(clip(e.subject()));
            objectsVary |= !first.object().equals(clip(e.object()));
            addressesVary |= !first.clientIp().equals(clip(e.clientIp()));
            detailsVary |= !first.detail().equals(clip(e.detail()));
        }

        AuditEvent summary() {
            String detail = "repeated " + repeats + (repeats == 1 ? " time" : " times") + " from " + first.time() + " to " + lastTime
                    + (subjectsVary ? " (subjects varied)" : "") + (detailsVary ? "" : "; " + first.detail());
            return new AuditEvent(lastTime, first.capability(), first.action(), subjectsVary ? "" : first.subject(),
                    addressesVary ? source : first.clientIp(), objectsVary ? "" : first.object(), first.decision(),
                    first.rule(), detail);
        }
    }

    private final AuditLog inner;
    private final Duration window;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Run> runs = new LinkedHashMap<>();   // in the order their windows began
    private final ScheduledExecutorService ticker;

    /** Folds repeated denials within {@code window} (zero: writes each one) before they reach {@code inner}. */
    public static CoalescingAuditLog wrap(AuditLog inner, Duration window, Clock clock) {
        return new CoalescingAuditLog(inner, window, clock, true);
    }

    CoalescingAuditLog(AuditLog inner, Duration window, Clock clock, boolean tick) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.window = window;
        this.clock = clock;
        this.ticker = tick && !window.isZero() ? Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("audit-coalescer").daemon().factory()) : null;
        if (ticker != null) {
            ticker.scheduleWithFixedDelay(this::flushEndedQuietly, 1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void record(AuditEvent event) {
        inner.record(event);
    }

    @Override
    public void recordAll(List<AuditEvent> events) {
        inner.recordAll(events); // one append for a batch, as the wrapped log writes it
    }

    @Override
    public void recordRepeated(String source, AuditEvent denial) {
        writeAll(takeEnded(FLUSH_PER_CALL));
        if (window.isZero() || inner.health().isPresent()) {
            inner.record(denial);   // while the log fails, nothing is only counted: the decision fails closed
            return;
        }
        String key = source + '\u0000' + denial.capability() + '\u0000' + denial.action() + '\u0000'
                + denial.decision() + '\u0000' + denial.rule();
        Instant now = clock.instant();
        List<Run> done = new ArrayList<>(2);
        Run started = new Run(source, denial, now.plus(window));
        lock.lock();
        try {
            Run run = runs.get(key);
            if (run != null && now.isBefore(run.end)) {
                run.add(denial);
                return;
            }
            if (run != null) {
                runs.remove(key);
                done.add(run);
            } else if (runs.size() >= MAX_PENDING) {
                Iterator<Run> oldest = runs.values().iterator();
                done.add(oldest.next());
                oldest.remove();
            }
            runs.put(key, started);
        } finally {
            lock.unlock();
        }
        writeAll(done);
        try {
            inner.record(denial);
        } catch (RuntimeException e) {
            forget(key, started);
            throw e;
        }
    }

    private void forget(String key, Run run) {
        lock.lock();
        try {
            runs.remove(key, run);
        } finally {
            lock.unlock();
        }
    }

    /** Writes the summaries of the windows that have ended. */
    void flushEnded() {
        writeAll(takeEnded(Integer.MAX_VALUE));
    }

    private void flushEndedQuietly() {
        try {
            flushEnded();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write repeated denials to the audit log: " + e.getMessage());
        }
    }

    // Windows all have one length, so the oldest run ends first: looking at the head is enough.
    private List<Run> takeEnded(int most) {
        Instant now = clock.instant();
        List<Run> out = new ArrayList<>();
        lock.lock();
        try {
            Iterator<Run> it = runs.values().iterator();
            while (out.size() < most && it.hasNext()) {
                Run run = it.next();
                if (now.isBefore(run.end)) {
                    break;
                }
                it.remove();
                out.add(run);
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    private void writeAll(List<Run> done) {
        for (Run run : done) {
            if (run.repeats > 0) {
                inner.record(run.summary());
            }
        }
    }

    @Override
    public Optional<String> health() {
        return inner.health();
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        return inner.recent(limit);
    }

    /** Writes every pending count, then closes the log beneath. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        List<Run> all;
        lock.lock();
        try {
            all = new ArrayList<>(runs.values());
            runs.clear();
        } finally {
            lock.unlock();
        }
        try {
            writeAll(all);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write repeated denials to the audit log: " + e.getMessage());
        } finally {
            inner.close();
        }
    }

    private static String clip(String s) {
        return s.length() <= KEPT_CHARS ? s : s.substring(0, KEPT_CHARS - 1) + "…";
    }
}
