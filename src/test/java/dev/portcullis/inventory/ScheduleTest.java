package dev.portcullis.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {
    private static final Schedule NO_JITTER = new Schedule(Duration.ofSeconds(60), 0, Duration.ofMinutes(10), 0,
            Duration.ofSeconds(30));

    /** Failures in a row, and the wait before the next try (no jitter): 1 s doubling, capped at backoff_max. */
    @ParameterizedTest(name = "[{index}] {0} failures: {1}s")
    @CsvSource({"0, 60", "1, 1", "2, 2", "3, 4", "5, 16", "6, 30", "40, 30"})
    void nextDelay_failuresInRow_backsOffExponentially(int failures, long seconds) {
        assertThat(NO_JITTER.nextDelay(failures, Optional.empty(), new Random(1))).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void nextDelay_sourceAskedForLonger_waitsThatLong() {
        assertThat(NO_JITTER.nextDelay(1, Optional.of(Duration.ofSeconds(90)), new Random(1))).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void nextDelay_jitter_staysWithinTheFractionAndSpreads() {
        Schedule s = new Schedule(Duration.ofSeconds(100), 0.2, Duration.ofMinutes(10), 0, Duration.ofMinutes(1));
        Random r = new Random(7);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long d = s.nextDelay(0, Optional.empty(), r).toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isBetween(80_000L, 85_000L);
        assertThat(max).isBetween(115_000L, 120_000L);
    }

    @Test
    void new_maxAgeBelowEvery_isRefusedNamingIt() {
        assertThatThrownBy(() -> new Schedule(Duration.ofMinutes(5), 0, Duration.ofMinutes(1), 0, Duration.ofMinutes(1)))
                .hasMessageContaining("max_age must be at least every");
    }
}
