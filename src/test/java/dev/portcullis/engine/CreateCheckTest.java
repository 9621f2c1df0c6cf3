package dev.portcullis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.StrictJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Container configurations judged by an identity's rules, keys read as the engine reads them (without case). */
class CreateCheckTest {
    private static final IdentityRules CI = EngineRules.parse("""
            identities:
              ci:
                endpoints: [run]
                binds: [/srv/ci]
                cap_add: [NET_BIND_SERVICE]
            """, "rules.yaml").forIdentity("ci");

    private static CreateCheck.Outcome check(String json) {
        return CreateCheck.check(json.getBytes(StandardCharsets.UTF_8), CI);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"Image\":\"b\",\"HostConfig\":{\"Privileged\":true}} | a privileged container",
            "{\"Image\":\"b\",\"hostconfig\":{\"privileged\":true}} | a privileged container",
            "{\"HostConfig\":{\"NetworkMode\":\"host\"}} | NetworkMode: host",
            "{\"HostConfig\":{\"PidMode\":\"host\"}} | PidMode: host",
            "{\"HostConfig\":{\"IpcMode\":\"HOST\"}} | IpcMode: host",
            "{\"HostConfig\":{\"UTSMode\":\"host\"}} | UTSMode: host",
            "{\"HostConfig\":{\"CapAdd\":[\"SYS_ADMIN\"]}} | added capability SYS_ADMIN",
            "{\"HostConfig\":{\"CapAdd\":[\"ALL\"]}} | added capability ALL",
            "{\"HostConfig\":{\"Devices\":[{\"PathOnHost\":\"/dev/sda\"}]}} | host devices (Devices)",
            "{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}} | bind mount of host path /etc",
            "{\"HostConfig\":{\"Binds\":[\"/srv/ci/../../etc:/x\"]}} | bind mount of host path /srv/ci/../../etc",
            "{\"HostConfig\":{\"Binds\":[\"/srv/cider:/x\"]}} | bind mount of host path /srv/cider",
            "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/h\"}]}} | bind mount of host path /",
            "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/h\",\"VolumeOptions\":{\"DriverConfig\":{\"Name\":\"local\"}}}]}} | its own volume driver",
            "{\"HostConfig\":{\"SecurityOpt\":[\"seccomp=unconfined\"]}} | security option seccomp=unconfined",
            "{\"HostConfig\":{\"SecurityOpt\":[\"apparmor:unconfined\"]}} | security option apparmor:unconfined",
            "{\"HostConfig\":{\"VolumesFrom\":[\"other\"]}} | VolumesFrom",
    })
    void check_forbiddenByTheRules_deniedNamingWhat(String json, String reason) {
        assertThat(check(json)).isInstanceOfSatisfying(CreateCheck.Outcome.Denied.class,
                d -> assertThat(String.join(", ", d.reasons())).contains(reason));
    }

    @Test
    void check_allowed_ownerLabelSetOverWhatTheClientSent() throws Exception {
        CreateCheck.Outcome o = check("""
                {"Image":"busybox","Labels":{"dev.portcullis.owner":"mallory","a":"b"},
                 "HostConfig":{"Binds":["/srv/ci/data:/d:ro","named:/v"],"CapAdd":["CAP_NET_BIND_SERVICE"],"NetworkMode":"bridge"}}
                """);
        assertThat(o).isInstanceOf(CreateCheck.Outcome.Allowed.class);
        JsonNode body = StrictJson.read(((CreateCheck.Outcome.Allowed) o).body());
        assertThat(body.at("/Labels/dev.portcullis.owner").asText()).isEqualTo("ci");
        assertThat(body.at("/Labels/a").asText()).isEqualTo("b");
        assertThat(((CreateCheck.Outcome.Allowed) o).image()).isEqualTo("busybox");
    }

    @Test
    void check_noLabels_labelsAdded() {
        CreateCheck.Outcome o = check("{\"Image\":\"busybox\"}");
        assertThat(new String(((CreateCheck.Outcome.Allowed) o).body(), StandardCharsets.UTF_8))
                .contains("\"Labels\":{\"dev.portcullis.owner\":\"ci\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"HostConfig\":{\"Privileged\":false},\"hostConfig\":{\"Privileged\":true}} | differ only in case",
            "{\"HostConfig\":{\"Privileged\":false,\"Privileged\":true}} | duplicate key 'Privileged'",
            "{\"Image\":\"b\"} {} | not JSON",
            "[1] | not a JSON object",
    })
    void check_ambiguousJson_refused(String json, String reason) {
        assertThatThrownBy(() -> check(json)).isInstanceOf(Refusal.class).hasMessageContaining(reason);
    }
}
