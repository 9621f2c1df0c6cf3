package dev.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.portcullis.testbed.AdmissionReviews;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the AdmissionReview reader with what an API server, a proxy or an attacker could send: any
 * bytes either read into a request or are refused with an {@link AdmissionException} naming why, never
 * another exception (which the server would answer 500) and never more work than the body's size.
 */
class AdmissionReviewParserFuzzTest {
    private static final AdmissionReviewParser PARSER = new AdmissionReviewParser(50);
    private static final String SEED = AdmissionReviews.review("admission.k8s.io/v1", AdmissionReviews.KINDS.get(2), "u-1",
            AdmissionReviews.object(AdmissionReviews.KINDS.get(2), "gcr.io/p/app:1", "gcr.io/p/init:1", "gcr.io/p/debug:1"), false);

    @FuzzTest(maxDuration = "30s")
    void parse_anyBytes_readOrRefusedWithAReason(FuzzedDataProvider data) {
        byte[] body;
        if (data.consumeBoolean()) {
            // A real review with a stretch replaced: reaches the object's reading, not only the JSON syntax.
            String s = SEED;
            int at = data.consumeInt(0, s.length());
            int len = data.consumeInt(0, Math.min(40, s.length() - at));
            body = (s.substring(0, at) + data.consumeString(60) + s.substring(at + len)).getBytes(StandardCharsets.UTF_8);
        } else {
            body = data.consumeRemainingAsBytes();
        }
        try {
            AdmissionRequest r = PARSER.parse(body);
            assertThat(r.uid()).isNotBlank();
            r.workload().ifPresent(w -> assertThat(w.images()).isNotEmpty().allSatisfy(i -> assertThat(i.image()).isNotBlank()));
        } catch (AdmissionException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
