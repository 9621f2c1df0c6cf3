package dev.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the reader of the manifests {@code admission explain} judges: any text either reads into
 * reviews the webhook's own reader accepts, or is refused with an {@link AdmissionException} naming
 * why, never another exception.
 */
class ManifestObjectsFuzzTest {
    private static final AdmissionReviewParser PARSER = new AdmissionReviewParser(500);
    private static final String SEED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: shop, namespace: web}
            spec:
              template:
                spec:
                  containers: [{name: app, image: "gcr.io/p/app:1"}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: one}
            spec: {containers: [{name: c, image: busybox}]}
            """;

    @FuzzTest(maxDuration = "30s")
    void read_anyText_reviewsTheWebhookReadsOrARefusal(FuzzedDataProvider data) {
        String text;
        if (data.consumeBoolean()) {
            int at = data.consumeInt(0, SEED.length());
            int len = data.consumeInt(0, Math.min(30, SEED.length() - at));
            text = SEED.substring(0, at) + data.consumeString(40) + SEED.substring(at + len);
        } else {
            text = data.consumeRemainingAsString();
        }
        try {
            for (ManifestObjects.Entry e : ManifestObjects.read(text, "fuzz.yaml", "default")) {
                if (e.judged()) {
                    try {
                        PARSER.parse(e.review());
                    } catch (AdmissionException refused) {
                        assertThat(refused.getMessage()).isNotBlank(); // a container without an image, say
                    }
                }
            }
        } catch (AdmissionException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
