package dev.portcullis.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.testbed.AdmissionReviews;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** AdmissionReviews as the API server sends them, for every kind judged, and the ones it cannot have sent. */
class AdmissionReviewParserTest {
    private static final String APP = "gcr.io/p/app@sha256:" + "aa".repeat(32);
    private static final String INIT = "gcr.io/p/setup:1.2";
    private static final String DEBUG = "busybox:1.36";
    private final AdmissionReviewParser parser = new AdmissionReviewParser(500);

    static Stream<AdmissionReviews.Kind> kinds() {
        return AdmissionReviews.KINDS.stream();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void parse_everyKindInBothVersions_readsWhereAndEveryImage(AdmissionReviews.Kind k) {
        for (String version : List.of("admission.k8s.io/v1", "admission.k8s.io/v1beta1")) {
            AdmissionRequest r = parser.parse(bytes(AdmissionReviews.review(version, k, "uid-1",
                    AdmissionReviews.object(k, APP, INIT, DEBUG), false)));
            assertThat(r.apiVersion()).isEqualTo(version);
            assertThat(r.uid()).isEqualTo("uid-1");
            assertThat(r.kind()).isEqualTo(k.qualified());
            assertThat(r.user()).isEqualTo("alice@example.com");
            AdmissionRequest.Workload w = r.workload().orElseThrow();
            assertThat(w.namespace()).isEqualTo("web");
            assertThat(w.serviceAccount()).isEqualTo("deployer");
            List<String> expected = k.subResource().equals("ephemeralcontainers")
                    ? List.of("containers[0] app " + APP, "initContainers[0] setup " + INIT, "ephemeralContainers[0] debugger " + DEBUG)
                    : List.of("containers[0] app " + APP, "initContainers[0] setup " + INIT);
            assertThat(w.images()).extracting(i -> i.field() + " " + i.container() + " " + i.image()).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void parse_withoutServiceAccount_isTheNamespacesDefault(AdmissionReviews.Kind k) {
        ObjectNode o = AdmissionReviews.object(k, APP, INIT, DEBUG);
        o.findParents("serviceAccountName").forEach(p -> ((ObjectNode) p).remove(List.of("serviceAccountName", "serviceAccount")));
        AdmissionRequest r = parser.parse(bytes(AdmissionReviews.review("admission.k8s.io/v1", k, "u", o, false)));
        assertThat(r.workload().orElseThrow().serviceAccount()).isEqualTo("default");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void parse_moreContainersThanTheLimit_refusedNamingTheCount(AdmissionReviews.Kind k) {
        ObjectNode o = AdmissionReviews.object(k, APP, INIT, DEBUG);
        ArrayNode containers = (ArrayNode) o.findParent("containers").get("containers");
        for (int i = 0; i < 500; i++) {
            containers.addObject().put("name", "c" + i).put("image", APP);
        }
        assertThatThrownBy(() -> parser.parse(bytes(AdmissionReviews.review("admission.k8s.io/v1", k, "u", o, false))))
                .isInstanceOf(AdmissionException.class).hasMessageContaining("containers, more than the 500");
    }

    static Stream<Arguments> badReviews() {
        String good = AdmissionReviews.review("admission.k8s.io/v1", AdmissionReviews.KINDS.get(0), "uid-1",
                AdmissionReviews.object(AdmissionReviews.KINDS.get(0), APP, INIT, DEBUG), false);
        return Stream.of(
                Arguments.of("not JSON", "{\"apiVersion\": ", "not one JSON AdmissionReview"),
                Arguments.of("two values", good + " {}", "content after the JSON value"),
                Arguments.of("a duplicate key", good.replaceFirst("\\{", "{\"kind\": \"AdmissionReview\", "), "duplicate key 'kind'"),
                Arguments.of("an array", "[" + good + "]", "must be a JSON object"),
                Arguments.of("a wrong kind", good.replace("\"kind\":\"AdmissionReview\"", "\"kind\":\"TokenReview\""),
                        "kind must be AdmissionReview, not 'TokenReview'"),
                Arguments.of("a wrong apiVersion", good.replace("admission.k8s.io/v1", "admission.k8s.io/v2"),
                        "apiVersion must be admission.k8s.io/v1 or admission.k8s.io/v1beta1, not 'admission.k8s.io/v2'"),
                Arguments.of("no apiVersion", "{\"kind\":\"AdmissionReview\"}", "apiVersion must be admission.k8s.io/v1"),
                Arguments.of("null", "null", "must be a JSON object"),
                Arguments.of("no request", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "request is missing"),
                Arguments.of("no uid", good.replace("\"uid\":\"uid-1\",", ""), "request.uid is missing"),
                Arguments.of("an empty uid", good.replace("\"uid\":\"uid-1\"", "\"uid\":\"\""), "request.uid is missing"),
                Arguments.of("no request kind", good.replaceFirst("\"kind\":\\{[^}]*},", ""), "request.kind is missing"),
                Arguments.of("containers not a list", good.replaceFirst("\"containers\":\\[", "\"containers\":\"x\",\"was\":["),
                        "field request.object.spec.containers has the wrong type"),
                Arguments.of("an image that is a number", good.replace("\"image\":\"" + APP + "\"", "\"image\":3"),
                        "field request.object.spec.containers[0].image has the wrong type"),
                Arguments.of("an image that is a boolean", good.replace("\"image\":\"" + APP + "\"", "\"image\":true"),
                        "field request.object.spec.containers[0].image has the wrong type"),
                Arguments.of("a container without image", good.replace("\"image\":\"" + APP + "\",", ""), "containers[0] names no image"),
                Arguments.of("a deployment without template", AdmissionReviews.review("admission.k8s.io/v1", AdmissionReviews.KINDS.get(2),
                        "u", (ObjectNode) AdmissionReviews.object(AdmissionReviews.KINDS.get(2), APP, INIT, DEBUG).without("spec"), false),
                        "request.object.spec.template is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReviews")
    void parse_reviewTheApiServerCannotHaveSent_refusedWithTheReason(String what, String json, String reason) {
        assertThatThrownBy(() -> parser.parse(bytes(json))).isInstanceOf(AdmissionException.class).hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE", "CONNECT"})
    void parse_operationThatRunsNothing_hasNoWorkload(String operation) {
        AdmissionReviews.Kind pod = AdmissionReviews.KINDS.get(0);
        String json = AdmissionReviews.review("admission.k8s.io/v1", pod, "u", AdmissionReviews.object(pod, APP, INIT, DEBUG), false)
                .replace("\"CREATE\"", "\"" + operation + "\"");
        assertThat(parser.parse(bytes(json)).workload()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "binding", "exec"})
    void parse_podSubresourceNotJudged_hasNoWorkload(String sub) {
        AdmissionReviews.Kind pod = new AdmissionReviews.Kind("pod", "", "v1", "Pod", "pods", sub);
        String json = AdmissionReviews.review("admission.k8s.io/v1", pod, "u", AdmissionReviews.object(pod, APP, INIT, DEBUG), false);
        AdmissionRequest r = parser.parse(bytes(json));
        assertThat(r.subResource()).isEqualTo(sub);
        assertThat(r.workload()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void parse_scaleFromTheReference_isNotJudged() {
        AdmissionRequest r = parser.parse(bytes(AdmissionReviews.scaleReview()));
        assertThat(r.kind()).isEqualTo("autoscaling/Scale");
        assertThat(r.uid()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(r.workload()).isEmpty();
    }
}
