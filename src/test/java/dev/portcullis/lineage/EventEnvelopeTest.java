package dev.portcullis.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The registry's notification envelope, in the shape distribution 2.8 documents and sends. */
class EventEnvelopeTest {
    static final String DIGEST = "sha256:fea8895f450959fa676bcc1df0611ea93823a735a01205fd8622846041d0c7cf";

    static String event(String id, String action, String mediaType, String tag) {
        return """
                {"id": "%s", "timestamp": "2026-03-09T14:44:26.402973972-08:00", "action": "%s",
                 "target": {"mediaType": "%s", "size": 708, "digest": "%s", "length": 708, "repository": "team/app",
                            "url": "http://127.0.0.1:5000/v2/team/app/manifests/%s", "tag": "%s"},
                 "request": {"id": "r1", "addr": "127.0.0.1:42961", "host": "127.0.0.1:5000", "method": "PUT", "useragent": "skopeo"},
                 "actor": {"name": "alice"}, "source": {"addr": "host:5000", "instanceID": "i1"}}
                """.formatted(id, action, mediaType, DIGEST, DIGEST, tag);
    }

    static byte[] envelope(String... events) {
        return ("{\"events\": [" + String.join(",", events) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parse_registryEnvelope_manifestPushReadBlobAndPullIgnored() {
        EventEnvelope e = EventEnvelope.parse(envelope(
                event("e1", "push", "application/vnd.oci.image.manifest.v1+json", "1.0"),
                event("e2", "push", "application/octet-stream", ""),
                event("e3", "pull", "application/vnd.oci.image.manifest.v1+json", "1.0")));
        assertThat(e.skipped()).isEmpty();
        RegistryEvent push = e.events().get(0);
        assertThat(push.action()).isEqualTo(RegistryEvent.Action.MANIFEST_PUSH);
        assertThat(push.repository()).isEqualTo("127.0.0.1:5000/team/app");
        assertThat(push.tag()).isEqualTo("1.0");
        assertThat(push.digest().toString()).isEqualTo(DIGEST);
        assertThat(push.at()).isEqualTo(Instant.parse("2026-03-09T22:44:26.402973972Z"));
        assertThat(e.events().subList(1, 3)).extracting(RegistryEvent::action).containsOnly(RegistryEvent.Action.IGNORED);
    }

    @Test
    void parse_deletes_byDigestOrByTag() {
        EventEnvelope e = EventEnvelope.parse(envelope(event("d1", "delete", "", ""), event("d2", "delete", "", "1.0")));
        assertThat(e.events()).extracting(RegistryEvent::action).containsExactly(RegistryEvent.Action.MANIFEST_DELETE,
                RegistryEvent.Action.TAG_DELETE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            not json                       | the notification is not JSON
            []                             | not an envelope
            {"events": 3}                  | not an envelope
            {"events": []} x               | the notification is not JSON
            """)
    void parse_notAnEnvelope_refusedSayingWhy(String body, String message) {
        assertThatThrownBy(() -> EventEnvelope.parse(body.getBytes(StandardCharsets.UTF_8))).isInstanceOf(LineageException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "id": "e1"                 | "id": ""                    | an event has an id
            "action": "push"           | "action": "rename"          | unknown action 'rename'
            2026-03-09T14:44:26        | yesterday                   | timestamp is not an RFC 3339 time
            "repository": "team/app"   | "repository": "Team/App"    | repository
            "tag": "1.0"               | "tag": ".bad"               | invalid tag
            "digest": "sha256:fea8     | "digest": "md5:fea8         | unsupported digest algorithm
            """)
    void parse_malformedEvent_skippedWithItsReasonOthersKept(String from, String to, String reason) {
        String bad = event("e1", "push", "application/vnd.oci.image.manifest.v1+json", "1.0").replace(from, to);
        EventEnvelope e = EventEnvelope.parse(envelope(bad, event("e2", "push", "application/vnd.oci.image.manifest.v1+json", "2")));
        assertThat(e.skipped()).singleElement().asString().startsWith("events[0]: ").contains(reason);
        assertThat(e.events()).extracting(RegistryEvent::id).containsExactly("e2");
    }
}
