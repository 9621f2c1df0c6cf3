package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;

/**
 * Fuzzes the listener's framing check with any bytes cut anywhere: it either passes bytes on or refuses
 * with a 4xx/5xx status and a one-line reason; how the bytes were cut never changes what is passed on
 * or whether they are refused; and what it passes on is already in its own normal form (fed again, it
 * comes out unchanged), so Helidon's parser only ever sees framing both agree on. Without JAZZER_FUZZ
 * set, the seeds under src/test/resources run as regression tests.
 */
class RequestFramingFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void feed_anyBytesAnySplit_sameOutcomeAndNormalForm(FuzzedDataProvider data) {
        int cut = data.consumeInt(0, 4096);
        byte[] input = data.consumeRemainingAsBytes();
        cut = Math.min(cut, input.length);
        Outcome whole = run(new byte[][] {input});
        Outcome split = run(new byte[][] {java.util.Arrays.copyOfRange(input, 0, cut),
                java.util.Arrays.copyOfRange(input, cut, input.length)});
        assertThat(split.status).isEqualTo(whole.status);
        assertThat(split.out).isEqualTo(whole.out);
        if (whole.status != 0) {
            assertThat(whole.status).isBetween(400, 599);
            assertThat(whole.reason).isNotBlank().doesNotContain("\n", "\r");
        }
        // What was passed on is a sequence of whole, valid requests (and perhaps the start of the next).
        Outcome again = run(new byte[][] {whole.out});
        assertThat(again.status).isZero();
        assertThat(again.out).isEqualTo(whole.out);
    }

    private record Outcome(byte[] out, int status, String reason) {}

    private static Outcome run(byte[][] pieces) {
        RequestFraming f = new RequestFraming(1 << 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (byte[] p : pieces) {
                out.writeBytes(f.feed(p));
            }
            out.writeBytes(f.feed(new byte[0])); // a refusal deferred behind whole requests
            return new Outcome(out.toByteArray(), 0, null);
        } catch (RequestFraming.Rejected e) {
            return new Outcome(out.toByteArray(), e.status(), e.getMessage());
        }
    }
}
