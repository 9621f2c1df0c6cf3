package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.image.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignaturePayloadTest {
    private static final String D = "sha256:" + "ab".repeat(32);

    @Test
    void parse_gcloudPayloadWithOptional_readsFields() {
        SignaturePayload p = SignaturePayload.parse(("{\"critical\":{\"identity\":{\"docker-reference\":\"gcr.io/p/app\"},"
                + "\"image\":{\"docker-manifest-digest\":\"" + D + "\"},\"type\":\"Google cloud binauthz container signature\"},"
                + "\"optional\":{\"build\":\"42\"}}").getBytes(StandardCharsets.UTF_8));
        assertThat(p.dockerReference()).isEqualTo("gcr.io/p/app");
        assertThat(p.manifestDigest()).isEqualTo(Digest.parse(D));
        assertThat(p.optional()).containsEntry("build", "42");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "not json", "[]", "{}", "{\"critical\":{}}",
            "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"sha256:zz\"},\"type\":\"atomic container signature\"}}",
            "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"" + "sha256:abababababababababababababababababababababababababababababababab"
                    + "\"},\"type\":\"some other signature\"}}",
            "{\"critical\":{\"identity\":{},\"image\":{\"docker-manifest-digest\":\"sha256:abababababababababababababababababababababababababababababababab\"},\"type\":\"atomic container signature\"}}"})
    void parse_malformedPayload_isRejectedAsMalformed(String text) {
        assertThatThrownBy(() -> SignaturePayload.parse(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"gcr.io/p/app:1.0", "gcr.io/p/app", "gcr.io/p/app@sha256:123", "@sha256:" + "ab"})
    void artifactUrl_withoutValidDigest_isTagNotDigest(String url) {
        assertThatThrownBy(() -> ArtifactUrl.parse(url))
                .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TAG_NOT_DIGEST));
    }

    @Test
    void artifactUrl_grafeasResourceUri_dropsScheme() {
        assertThat(ArtifactUrl.parse("https://gcr.io/p/app@" + D).repository()).isEqualTo("gcr.io/p/app");
    }
}
