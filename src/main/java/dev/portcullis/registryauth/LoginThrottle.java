package dev.portcullis.registryauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per account and client address in a fixed window; past the limit, further
 * attempts are refused (429) until the window ends, before any password is checked.
 */
final class LoginThrottle {
    private static final int MAX_TRACKED = 100_000;

    private record Window(Instant start, int failures) {}

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;

    LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** Throws {@link TooManyAttemptsException} while this account and address are locked out. */
    void check(String account, String ip) {
        Window w = windows.get(key(account, ip));
        if (w == null) {
            return;
        }
        Instant end = w.start().plus(window);
        Instant now = clock.instant();
        if (w.failures() >= maxFailures && now.isBefore(end)) {
            throw new TooManyAttemptsException(Duration.between(now, end));
        }
    }

    void failed(String account, String ip) {
        Instant now = clock.instant();
        if (windows.size() >= MAX_TRACKED) {
            windows.values().removeIf(w -> !w.start().plus(window).isAfter(now));
        }
        windows.compute(key(account, ip), (k, w) ->
                w == null || !w.start().plus(window).isAfter(now) ? new Window(now, 1) : new Window(w.start(), w.failures() + 1));
    }

    void succeeded(String account, String ip) {
        windows.remove(key(account, ip));
    }

    private static String key(String account, String ip) {
        return account + "\u0000" + ip;
    }
}
