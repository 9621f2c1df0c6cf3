package dev.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portcullis.testbed.AdmissionReviews;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A manifest's objects as the webhook's reviews, judged offline by the webhook's own parser and reviewer. */
class ManifestExplanationTest {
    private static final String DIGEST = "gcr.io/p/app@sha256:" + "aa".repeat(32);
    private static final String POLICY = """
            admissionWhitelistPatterns:
              - namePattern: gcr.io/p/setup:*
            defaultAdmissionRule:
              evaluationMode: ALWAYS_DENY
              enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
            """;
    private final Function<byte[], AdmissionVerdict> offline = ManifestExplanation.offline(POLICY, "policy.yaml", Optional.empty(),
            "cluster.local", Clock.systemUTC());

    static Stream<AdmissionReviews.Kind> kinds() {
        return AdmissionReviews.KINDS.stream().filter(k -> k.subResource().isEmpty());
    }

    private static String yaml(JsonNode object) throws Exception {
        return new YAMLMapper().writeValueAsString(object);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void read_everyKindAsYaml_isTheReviewTheWebhookJudges(AdmissionReviews.Kind k) throws Exception {
        String text = yaml(AdmissionReviews.object(k, DIGEST, "gcr.io/p/setup:1.2", "busybox:1.36")); // after a "---" line
        List<ManifestObjects.Entry> entries = ManifestObjects.read(text, "m.yaml", "default");
        assertThat(entries).hasSize(1);
        ManifestObjects.Entry e = entries.get(0);
        assertThat(e.judged()).isTrue();
        assertThat(e.kind()).isEqualTo(k.qualified());
        AdmissionRequest r = new AdmissionReviewParser(500).parse(e.review());
        assertThat(r.workload().orElseThrow().distinctImages()).containsExactly(DIGEST, "gcr.io/p/setup:1.2");
        AdmissionVerdict v = offline.apply(e.review());
        assertThat(v.allowed()).isFalse();
        List<String> lines = ManifestExplanation.lines(e, v);
        assertThat(lines.get(0)).startsWith("m.yaml document 1 (line 2), " + k.qualified() + " web/").endsWith(": denied");
        assertThat(lines).contains("  " + DIGEST + " <- defaultAdmissionRule ALWAYS_DENY", "  gcr.io/p/setup:1.2 <- admissionWhitelistPatterns[gcr.io/p/setup:*]");
        assertThat(String.join("\n", lines)).contains("denied: Image " + DIGEST + " denied by Binary Authorization");
    }

    @Test
    void read_severalDocumentsAndAList_eachObjectInOrderAndOthersNotJudged() {
        String text = """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                ---
                ---
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: v1
                    kind: Pod
                    metadata: {name: a, namespace: shop}
                    spec: {containers: [{name: c, image: gcr.io/p/setup:1.0}]}
                  - apiVersion: batch/v1
                    kind: Job
                    metadata: {name: b}
                    spec: {template: {spec: {containers: [{name: c, image: "nginx:1"}]}}}
                """;
        List<ManifestObjects.Entry> entries = ManifestObjects.read(text, "m.yaml", "team");
        assertThat(entries).extracting(ManifestObjects.Entry::label).containsExactly("m.yaml document 1 (line 1), Service team/web",
                "m.yaml document 3 (line 6) items[0], Pod shop/a", "m.yaml document 3 (line 6) items[1], batch/Job team/b");
        assertThat(entries).extracting(ManifestObjects.Entry::judged).containsExactly(false, true, true);
        assertThat(offline.apply(entries.get(1).review()).allowed()).isTrue();
        assertThat(offline.apply(entries.get(2).review()).allowed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no kind        | 'apiVersion: v1\nmetadata: {name: a}\n'                        | m.yaml document 1 (line 1): field kind is missing",
            "no apiVersion  | 'kind: Pod\n'                                                   | m.yaml document 1 (line 1): field apiVersion is missing",
            "a scalar       | 'hello\n'                                                       | m.yaml document 1 (line 1): a Kubernetes object is a mapping",
            "second bad     | 'kind: Service\napiVersion: v1\n---\n- 1\n'                     | m.yaml document 2 (line 4): a Kubernetes object is a mapping",
            "bad YAML       | 'kind: [\n'                                                     | m.yaml line 2: not YAML",
            "duplicate key  | 'kind: Pod\nkind: Job\n'                                        | m.yaml line 2: not YAML: Duplicate field 'kind'",
            "empty          | '---\n'                                                         | m.yaml: holds no object",
            "List no items  | 'apiVersion: v1\nkind: List\nitems: 3\n'                        | field items of a List must be a list"})
    void read_badInput_namesTheDocumentAndField(String what, String text, String message) {
        assertThatThrownBy(() -> ManifestObjects.read(text.replace("\\n", "\n"), "m.yaml", "default"))
                .isInstanceOf(AdmissionException.class).hasMessageContaining(message.strip());
    }

    @Test
    void inManifest_parserErrorOfAnObject_namesItsFieldsNotTheReviews() {
        ManifestObjects.Entry e = ManifestObjects.read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: c}]}}}
                """, "m.yaml", "default").get(0);
        assertThatThrownBy(() -> offline.apply(e.review())).isInstanceOf(AdmissionException.class)
                .satisfies(x -> assertThat(ManifestExplanation.inManifest(e, x.getMessage()))
                        .isEqualTo("m.yaml document 1 (line 1), apps/Deployment default/web: containers[0] names no image"));
    }

    @Test
    void fromAnswer_theWebhooksOwnReview_givesTheSameVerdict() {
        ManifestObjects.Entry e = ManifestObjects.read("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"
                + "spec: {containers: [{name: c, image: 'nginx:1'}]}\n", "m.yaml", "default").get(0);
        AdmissionVerdict v = offline.apply(e.review());
        AdmissionVerdict back = ManifestExplanation.fromAnswer(dev.portcullis.config.StrictJson.mapper().valueToTree(v.review())
                .toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ManifestExplanation.lines(e, back)).isEqualTo(ManifestExplanation.lines(e, v));
        assertThatThrownBy(() -> ManifestExplanation.fromAnswer("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(AdmissionException.class);
    }
}
