package dev.portcullis.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the notification envelope reader with what a registry, a proxy or a holder of the secret
 * could send: any bytes read into events (each malformed one skipped with a reason) or are refused
 * with a {@link LineageException} naming why, never another exception (which would answer 500).
 */
class EventEnvelopeFuzzTest {
    private static final String SEED = new String(EventEnvelopeTest.envelope(
            EventEnvelopeTest.event("e1", "push", "application/vnd.oci.image.index.v1+json", "1.0"),
            EventEnvelopeTest.event("e2", "delete", "", "")), StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = "30s")
    void parse_anyBytes_readOrRefusedWithAReason(FuzzedDataProvider data) {
        byte[] body;
        if (data.consumeBoolean()) {
            // A real envelope with a stretch replaced: reaches the events' fields, not only the JSON syntax.
            int at = data.consumeInt(0, SEED.length());
            int len = data.consumeInt(0, Math.min(40, SEED.length() - at));
            body = (SEED.substring(0, at) + data.consumeString(60) + SEED.substring(at + len)).getBytes(StandardCharsets.UTF_8);
        } else {
            body = data.consumeRemainingAsBytes();
        }
        try {
            EventEnvelope e = EventEnvelope.parse(body);
            assertThat(e.skipped()).allSatisfy(s -> assertThat(s).startsWith("events["));
            e.events().forEach(ev -> {
                assertThat(ev.id()).isNotEmpty();
                if (ev.action() != RegistryEvent.Action.IGNORED) {
                    assertThat(ev.repository()).contains("/");
                }
            });
        } catch (LineageException x) {
            assertThat(x.getMessage()).isNotBlank();
        }
    }
}
