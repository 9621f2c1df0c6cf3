package dev.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.Secret;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class BreakGlassAlertsTest {

    @Test
    void alert_webhookUnreachable_returnsAtOnceCountsTheFailureAndLogsNoUrl() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens there once it is closed
        }
        CopyOnWriteArrayList<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(BreakGlassAlerts.class.getName());
        logger.addHandler(capture);
        try {
            BreakGlassAlerts alerts = new BreakGlassAlerts(Secret.of("http://127.0.0.1:" + closed + "/services/token-part"));
            long start = System.nanoTime();
            alerts.alert("Pod web/app", "alice", "outage", "gcr.io/p/app@sha256:aa", "ALWAYS_DENY");
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms to hand the alert over").isLessThan(1000);
            for (int i = 0; i < 100 && alerts.failed() == 0; i++) {
                Thread.sleep(50);
            }
            assertThat(alerts.failed()).isEqualTo(1);
            assertThat(alerts.sent()).isZero();
            assertThat(logged).isNotEmpty().noneMatch(l -> l.contains("token-part") || l.contains(String.valueOf(closed)));
        } finally {
            logger.removeHandler(capture);
        }
    }
}
