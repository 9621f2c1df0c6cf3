package dev.portcullis.server;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One warning line per refused request at most once a second, naming the client address and what
 * was wrong in our own words, never the request's bytes (they may hold credentials, and a line break
 * in them would forge log lines); the lines left out are counted in the next one.
 */
final class MalformedRequestLog {
    private static final System.Logger LOG = System.getLogger("dev.portcullis.server.requests");

    private final Clock clock;
    private final AtomicLong nextAllowedMillis = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong total = new AtomicLong();

    MalformedRequestLog(Clock clock) {
        this.clock = clock;
    }

    void rejected(String clientAddress, int status, String reason) {
        total.incrementAndGet();
        long now = clock.millis();
        long next = nextAllowedMillis.get();
        if (now < next || !nextAllowedMillis.compareAndSet(next, now + 1000)) {
            suppressed.incrementAndGet();
            return;
        }
        long left = suppressed.getAndSet(0);
        LOG.log(System.Logger.Level.WARNING, "refused a malformed request from " + clientAddress + " (" + status + "): "
                + reason + (left > 0 ? " (" + left + " more since the last line)" : ""));
    }

    /** Refused requests since the start. */
    long total() {
        return total.get();
    }
}
