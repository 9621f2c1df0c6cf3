package dev.portcullis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.FileAuditLog;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rules suggested from the guard's audit log read back as rules that allow what was done. */
class RuleSuggestionsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "/containers/3f2a9c/start, /containers/*/start",
            "/containers/json, /containers/json",
            "/containers/create, /containers/create",
            "/exec/77ab/start, /exec/*/start",
            "/images/localhost/busybox:1/json, /images/**/json",
            "/images/busybox, /images/**",
            "/images/json, /images/json",
            "/images/load, /images/load",
            "/_ping, /_ping",
    })
    void generalise_idsAndImageNames_becomeWildcards(String path, String pattern) {
        assertThat(RuleSuggestions.generalise(path)).isEqualTo(pattern);
    }

    @Test
    void fromAuditDir_learnedAndAllowed_aRulesFileThatAllowsThem() throws Exception {
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            log.record(event("ci", "GET /containers/json", "allow", ""));
            log.record(event("ci", "POST /containers/create", "learn", "needs: privileged; binds=/srv/data; cap_add=NET_ADMIN"));
            log.record(event("ci", "POST /containers/0a1b/start", "learn", ""));
            log.record(event("ci", "DELETE /images/busybox", "deny", ""));
        }
        String yaml = RuleSuggestions.fromAuditDir(dir).yaml(dir);
        IdentityRules ci = EngineRules.parse(yaml, "suggested.yaml").forIdentity("ci");
        assertThat(ci.endpoint("POST", EnginePath.parse("/containers/other/start"))).isPresent();
        assertThat(ci.endpoint("GET", EnginePath.parse("/v1.41/containers/json"))).isPresent();
        assertThat(ci.endpoint("DELETE", EnginePath.parse("/images/busybox"))).as("denied, not suggested").isEmpty();
        assertThat(ci.privileged()).isTrue();
        assertThat(ci.bindAllowed("/srv/data")).isTrue();
        assertThat(ci.capAdd()).containsExactly("NET_ADMIN");
        assertThat(ci.hostNamespaces()).isFalse();
    }

    private static AuditEvent event(String who, String endpoint, String decision, String detail) {
        return new AuditEvent(Instant.now(), "engine", "request", who, "127.0.0.1", endpoint, decision, "r", detail);
    }
}
