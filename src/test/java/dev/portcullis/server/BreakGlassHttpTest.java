package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.testbed.AdmissionReviews;
import dev.portcullis.testbed.AuditLines;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Break-glass beyond Google's, against a started server: a justification required, only members of an
 * allowed group, every honoured use posted to an alert webhook (a real HTTP endpoint here); and kinds
 * the webhook does not judge denied when configured so.
 */
class BreakGlassHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "gcr.io/p/app@sha256:" + "aa".repeat(32);
    private static final AdmissionReviews.Kind POD = AdmissionReviews.KINDS.get(0);
    private static final LinkedBlockingQueue<String> ALERTS = new LinkedBlockingQueue<>();

    @TempDir
    static Path dir;
    private static Application app;
    private static HttpServer hook;

    @BeforeAll
    static void start() throws Exception {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/services/T0/B0/hook-secret", ex -> {
            ALERTS.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
        app = Application.start(ConfigDocument.parse("""
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                admission:
                  enabled: true
                  unknown_kinds: deny
                  break_glass:
                    require_justification: true
                    allowed_groups: [sre]
                    alert_url: "http://127.0.0.1:%d/services/T0/B0/hook-secret"
                """.formatted(dir, hook.getAddress().getPort()), "a.yml", Map.of()), Clock.systemUTC());
        String token = Files.readString(app.adminTokenFile().orElseThrow()).strip();
        HttpResponse<String> put = call("PUT", "/api/v1/policy",
                "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n", token);
        assertThat(put.statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        app.close();
        hook.stop(0);
    }

    @BeforeEach
    void clear() {
        ALERTS.clear();
    }

    private static HttpResponse<String> call(String method, String path, String body, String bearer) throws Exception {
        return dev.portcullis.testbed.HttpCalls.call(app.port(), method, path, body, bearer);
    }

    /** A pod with the break-glass label, a justification if given, asked for by a member of {@code group}. */
    private static JsonNode review(String justification, String group) throws Exception {
        ObjectNode pod = AdmissionReviews.object(POD, APP, APP, APP);
        ((ObjectNode) pod.get("metadata").with("labels")).put("image-policy.k8s.io/break-glass", "true");
        if (justification != null) {
            ((ObjectNode) pod.get("metadata").with("annotations")).put("portcullis.dev/break-glass-justification", justification);
        }
        String uid = UUID.randomUUID().toString();
        String body = AdmissionReviews.review("admission.k8s.io/v1", POD, uid, pod, false).replace("\"developers\"", "\"" + group + "\"");
        HttpResponse<String> r = call("POST", "/admission/validate", body, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode response = JSON.readTree(r.body()).get("response");
        assertThat(response.get("uid").asText()).isEqualTo(uid);
        return response;
    }

    private static AuditEvent lastAdmissionRecord() {
        List<AuditEvent> all = AuditLines.read(dir).stream().filter(e -> e.capability().equals("admission")).toList();
        return all.get(all.size() - 1);
    }

    @Test
    void validate_breakGlassWithoutJustification_deniedSayingWhatIsMissing() throws Exception {
        JsonNode r = review(null, "sre");
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.at("/status/message").asText()).contains("denied by Binary Authorization")
                .endsWith("break-glass not honoured: break-glass needs a justification: annotate the pod with "
                        + "portcullis.dev/break-glass-justification");
        assertThat(r.at("/auditAnnotations/break-glass").asText()).isEqualTo("refused");
        AuditEvent e = lastAdmissionRecord();
        assertThat(e.decision()).isEqualTo("deny");
        assertThat(e.rule()).startsWith("break-glass refused (break-glass needs a justification");
        assertThat(ALERTS.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void validate_breakGlassByUserOutsideTheAllowedGroups_denied() throws Exception {
        JsonNode r = review("prod outage INC-42", "developers");
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.at("/status/message").asText()).contains("break-glass is allowed only to members of sre");
        assertThat(ALERTS.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void validate_justifiedBreakGlassByAllowedGroup_admittedAuditedWithTheJustificationAndAlerted() throws Exception {
        JsonNode r = review("prod outage INC-42", "sre");
        assertThat(r.get("allowed").asBoolean()).isTrue();
        assertThat(r.at("/auditAnnotations/break-glass").asText()).isEqualTo("true");
        AuditEvent e = lastAdmissionRecord();
        assertThat(e.decision()).isEqualTo("allow");
        assertThat(e.rule()).startsWith("break-glass (image-policy.k8s.io/break-glass) over: ");
        assertThat(e.detail()).contains("justification=\"prod outage INC-42\"");

        String alert = ALERTS.poll(5, TimeUnit.SECONDS);
        assertThat(alert).as("the alert webhook was posted to").isNotNull();
        JsonNode a = JSON.readTree(alert);
        assertThat(a.get("text").asText()).startsWith("Break-glass: Pod ").contains("alice@example.com", "prod outage INC-42");
        assertThat(a.get("images").asText()).isEqualTo(APP);
        assertThat(a.get("overridden").asText()).contains("ALWAYS_DENY");
    }

    @Test
    void validate_kindNotJudgedAndUnknownKindsDeny_deniedWithTheSetting() throws Exception {
        HttpResponse<String> r = call("POST", "/admission/validate", AdmissionReviews.scaleReview(), null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode response = JSON.readTree(r.body()).get("response");
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/code").asInt()).isEqualTo(403);
        assertThat(response.at("/status/message").asText()).startsWith("Portcullis does not judge autoscaling/Scale/scale")
                .contains("admission.unknown_kinds: deny");
        assertThat(lastAdmissionRecord().decision()).isEqualTo("deny");
    }
}
