package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DecisionThreadTest {

    @Test
    void call_work_runsOnAnotherThreadAndReturnsItsValue() {
        Thread caller = Thread.currentThread();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        String value = DecisionThread.call(() -> {
            ranOn.set(Thread.currentThread());
            return "issued";
        });
        assertThat(value).isEqualTo("issued");
        assertThat(ranOn.get()).isNotSameAs(caller);
        assertThat(ranOn.get().isVirtual()).isTrue();
    }

    @Test
    void call_workThrows_theSameExceptionReachesTheCaller() {
        IllegalStateException thrown = new IllegalStateException("audit log unavailable");
        assertThatThrownBy(() -> DecisionThread.call(() -> {
            throw thrown;
        })).isSameAs(thrown);
    }

    @Test
    void call_callerInterrupted_waitsForTheWorkAndKeepsTheInterrupt() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            result.set(DecisionThread.call(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    return "interrupted";
                }
                return "done";
            }));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        started.await();
        caller.interrupt();
        Thread.sleep(50);
        assertThat(caller.isAlive()).isTrue();
        release.countDown();
        caller.join();
        assertThat(result.get()).isEqualTo("done");
        assertThat(stillInterrupted.get()).isTrue();
    }
}
