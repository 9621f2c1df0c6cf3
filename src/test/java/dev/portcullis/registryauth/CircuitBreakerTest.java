package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The breaker's three states, driven by an injected clock. */
class CircuitBreakerTest {
    private final dev.portcullis.testbed.MutableClock clock = new dev.portcullis.testbed.MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final CircuitBreaker breaker = new CircuitBreaker(2, Duration.ofSeconds(30), clock);

    private void open() {
        breaker.before("x");
        breaker.failure();
        breaker.before("x");
        breaker.failure();
    }

    @Test
    void before_thresholdFailuresInARow_refusesUntilTheCoolDownIsOver() {
        open();
        clock.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> breaker.before("x")).isInstanceOf(AuthServiceException.class)
                .hasMessage("x is failing; not asked again for 1 s (circuit open)");
    }

    @Test
    void before_halfOpen_letsOneTrialThroughAndRefusesTheOthersUntilItAnswers() {
        open();
        clock.advance(Duration.ofSeconds(30));
        assertThatCode(() -> breaker.before("x")).doesNotThrowAnyException();   // the trial
        assertThatThrownBy(() -> breaker.before("x")).isInstanceOf(AuthServiceException.class)
                .hasMessage("x is failing; one trial call is under way (circuit half-open)");
        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> breaker.before("x")).isInstanceOf(AuthServiceException.class);
    }

    @Test
    void success_ofTheTrial_closesTheBreakerForEveryCall() {
        open();
        clock.advance(Duration.ofSeconds(30));
        breaker.before("x");
        breaker.success();
        for (int i = 0; i < 3; i++) {
            assertThatCode(() -> breaker.before("x")).doesNotThrowAnyException();
        }
    }

    @Test
    void failure_ofTheTrial_opensTheBreakerForAnotherCoolDownAtOnce() {
        open();
        clock.advance(Duration.ofSeconds(30));
        breaker.before("x");
        breaker.failure();   // one failure is enough in half-open, below the threshold of 2
        assertThatThrownBy(() -> breaker.before("x")).hasMessage("x is failing; not asked again for 30 s (circuit open)");
        clock.advance(Duration.ofSeconds(30));
        assertThatCode(() -> breaker.before("x")).doesNotThrowAnyException();
    }

    @Test
    void success_betweenFailures_resetsTheCount() {
        breaker.before("x");
        breaker.failure();
        breaker.success();
        breaker.failure();
        assertThatCode(() -> breaker.before("x")).doesNotThrowAnyException();
    }
}
