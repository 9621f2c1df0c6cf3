package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.portcullis.testbed.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int CAPACITY = 1_000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));

    private LoginThrottle throttle(int perAccount, int perAddress) {
        return new LoginThrottle(perAccount, perAddress, WINDOW, clock, CAPACITY);
    }

    private static String longName(int i) {
        return "%0250d".formatted(i);   // the attack's 250-character account names
    }

    // What TokenService does for each failed login: look, then count.
    private static boolean attempt(LoginThrottle t, String account, String ip) {
        try {
            t.check(account, ip);
        } catch (TooManyAttemptsException refused) {
            return false;
        }
        t.failed(account, ip);
        return true;
    }

    @Test
    void failed_uniqueNamesFromManyAddresses_tableStaysBoundedAndWorkPerCallStaysConstant() {
        LoginThrottle t = throttle(10, 100);
        long[] workPerThousand = new long[200];
        for (int i = 0; i < 200_000; i++) {
            long before = t.work();
            attempt(t, longName(i), "10.%d.%d.%d".formatted(i >> 16 & 255, i >> 8 & 255, i & 255));
            workPerThousand[i / 1_000] += t.work() - before;
            if (i % 10_000 == 0) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        assertThat(t.trackedPairs()).isLessThanOrEqualTo(CAPACITY);
        assertThat(t.trackedAddresses()).isLessThanOrEqualTo(CAPACITY);
        // Each attempt: two look-ups, and per table at most two expiries, one eviction and one insert.
        assertThat(java.util.Arrays.stream(workPerThousand).max().orElseThrow()).isLessThanOrEqualTo(1_000L * 12);
        assertThat(workPerThousand[199]).isLessThanOrEqualTo(workPerThousand[1] * 2);
    }

    @Test
    void failed_expiredWindows_leaveTheTableWithoutAScan() {
        LoginThrottle t = throttle(10, 100);
        for (int i = 0; i < CAPACITY; i++) {
            t.failed(longName(i), "10.0.%d.%d".formatted(i >> 8, i & 255));
        }
        clock.advance(WINDOW.plusSeconds(1));
        long before = t.work();
        t.failed("one more", "10.1.0.1");
        assertThat(t.work() - before).isLessThanOrEqualTo(8);
        for (int i = 0; i < CAPACITY; i++) {
            t.failed("next-" + i, "10.2.%d.%d".formatted(i >> 8, i & 255));
        }
        assertThat(t.trackedPairs()).isLessThanOrEqualTo(CAPACITY);
    }

    @Test
    void check_failuresAcrossAccountsFromOneAddress_refusesEveryAccountFromItWithTheRule() {
        LoginThrottle t = throttle(10, 20);
        for (int i = 0; i < 20; i++) {
            assertThat(attempt(t, longName(i), "192.0.2.7")).isTrue();
        }
        TooManyAttemptsException e = catchThrowableOfType(TooManyAttemptsException.class, () -> t.check("alice", "192.0.2.7"));
        assertThat(e.rule()).startsWith("login.max_failures_per_address: 20");
        assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(WINDOW);
        t.check("alice", "192.0.2.8");   // another address is not refused
        clock.advance(WINDOW);
        t.check("alice", "192.0.2.7");   // nor this one once its window is over
    }

    @Test
    void check_tooManyFailuresForOneAccount_namesTheAccountRule() {
        LoginThrottle t = throttle(3, 100);
        for (int i = 0; i < 3; i++) {
            t.failed("alice", "192.0.2.7");
        }
        assertThatThrownBy(() -> t.check("alice", "192.0.2.7")).isInstanceOfSatisfying(TooManyAttemptsException.class,
                e -> assertThat(e.rule()).startsWith("login.max_failures: 3"));
        t.check("bob", "192.0.2.7");
    }

    @Test
    void check_lockedPairThenFloodOfNewNamesFromTheSameAddress_staysLocked() {
        LoginThrottle t = throttle(3, 50);
        for (int i = 0; i < 3; i++) {
            t.failed("alice", "192.0.2.7");
        }
        // Enough new names to push alice out of a table that took them all: the address limit stops them first.
        for (int i = 0; i < 5 * CAPACITY; i++) {
            attempt(t, longName(i), "192.0.2.7");
        }
        assertThatThrownBy(() -> t.check("alice", "192.0.2.7")).isInstanceOf(TooManyAttemptsException.class);
        assertThat(t.trackedPairs()).isLessThanOrEqualTo(51);
    }

    @Test
    void succeeded_afterFailures_clearsTheAccountButNotTheAddress() {
        LoginThrottle t = throttle(3, 5);
        for (int i = 0; i < 2; i++) {
            t.failed("alice", "192.0.2.7");
        }
        t.succeeded("alice", "192.0.2.7");
        t.failed("alice", "192.0.2.7");
        t.failed("alice", "192.0.2.7");
        t.check("alice", "192.0.2.7");   // two since the success: under 3
        t.failed("bob", "192.0.2.7");
        assertThatThrownBy(() -> t.check("carol", "192.0.2.7")).isInstanceOfSatisfying(TooManyAttemptsException.class,
                e -> assertThat(e.rule()).startsWith("login.max_failures_per_address"));
    }

    @Test
    void source_ipv6_countsByItsSlash64AndMappedIpv4AsIpv4() {
        assertThat(LoginThrottle.source("2001:db8:1:2:aaaa::1")).isEqualTo(LoginThrottle.source("2001:db8:1:2:bbbb:cccc:dddd:2"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(LoginThrottle.source("2001:db8:1:3::1")).isNotEqualTo(LoginThrottle.source("2001:db8:1:2::1"));
        assertThat(LoginThrottle.source("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(LoginThrottle.source("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(LoginThrottle.source("not-an-address")).isEqualTo("not-an-address");
    }

    @Test
    void check_rotatingAddressesInOneSlash64_refusedTogether() {
        LoginThrottle t = throttle(10, 5);
        for (int i = 0; i < 5; i++) {
            t.failed("user" + i, "2001:db8:1:2::" + Integer.toHexString(i + 1));
        }
        assertThatThrownBy(() -> t.check("alice", "2001:db8:1:2:ffff::9")).isInstanceOf(TooManyAttemptsException.class);
    }
}
