package dev.portcullis.registryauth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Counts failed logins in fixed windows, per account and client address ({@code login.max_failures})
 * and per client address across accounts ({@code login.max_failures_per_address}); past either
 * limit, further attempts are refused (429) until that window ends, before any password is checked.
 * An IPv6 client counts by its /64, the block one host is usually given. Both tables are bounded
 * ({@link FailureWindows}); an attacker who wants to push its own account-and-address window out of
 * the table must fail {@code capacity} times, which the per-address limit spreads over
 * {@code capacity / max_failures_per_address} addresses.
 */
final class LoginThrottle {
    static final int MAX_TRACKED = 65_536;

    private final FailureWindows perAccount;
    private final FailureWindows perAddress;
    private final String accountRule;
    private final String addressRule;
    private final Clock clock;

    LoginThrottle(int maxFailures, int maxFailuresPerAddress, Duration window, Clock clock) {
        this(maxFailures, maxFailuresPerAddress, window, clock, MAX_TRACKED);
    }

    LoginThrottle(int maxFailures, int maxFailuresPerAddress, Duration window, Clock clock, int capacity) {
        this.perAccount = new FailureWindows(capacity, maxFailures, window);
        this.perAddress = new FailureWindows(capacity, maxFailuresPerAddress, window);
        String per = " failed logins within " + window.toSeconds() + " s";
        this.accountRule = "login.max_failures: " + maxFailures + per + " for this account from this address";
        this.addressRule = "login.max_failures_per_address: " + maxFailuresPerAddress + per + " from this address";
        this.clock = clock;
    }

    /** Throws {@link TooManyAttemptsException}, naming the limit, while this address or this account from it is locked out. */
    void check(String account, String ip) {
        Instant now = clock.instant();
        String source = source(ip);
        Optional<Duration> address = perAddress.lockedFor(FailureWindows.Key.of(source), now);
        if (address.isPresent()) {
            throw new TooManyAttemptsException(address.get(), addressRule);
        }
        Optional<Duration> pair = perAccount.lockedFor(FailureWindows.Key.of(account, source), now);
        if (pair.isPresent()) {
            throw new TooManyAttemptsException(pair.get(), accountRule);
        }
    }

    void failed(String account, String ip) {
        Instant now = clock.instant();
        String source = source(ip);
        perAddress.failed(FailureWindows.Key.of(source), now);
        perAccount.failed(FailureWindows.Key.of(account, source), now);
    }

    /** Clears this account's count from this address; the address's own count stays, or one good account would reset it. */
    void succeeded(String account, String ip) {
        perAccount.clear(FailureWindows.Key.of(account, source(ip)));
    }

    /** What the per-address limit counts by: the address, or for IPv6 its /64 (e.g. {@code 2001:db8:1:2::/64}). */
    static String source(String ip) {
        if (ip.indexOf(':') < 0) {
            return ip;   // IPv4 as the socket or the trusted proxy wrote it
        }
        Optional<InetAddress> parsed = dev.portcullis.inventory.IpLiteral.parse(ip);
        if (parsed.isEmpty() || !(parsed.get() instanceof Inet6Address v6)) {
            return parsed.map(InetAddress::getHostAddress).orElse(ip);
        }
        byte[] b = v6.getAddress();
        StringBuilder out = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) {
            out.append(Integer.toHexString((b[i] & 0xff) << 8 | (b[i + 1] & 0xff))).append(':');
        }
        return out.append(":/64").toString();
    }

    int trackedPairs() {
        return perAccount.size();
    }

    int trackedAddresses() {
        return perAddress.size();
    }

    long work() {
        return perAccount.work() + perAddress.work();
    }
}
