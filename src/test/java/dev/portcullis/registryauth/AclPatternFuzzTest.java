package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashMap;
import java.util.Map;

/**
* Fuzzes the ACL glob compiler and matcher: any glob either compiles or is refused with
 * {@link AclPatternException}; matching a compiled pattern either answers or stops with
 * {@link AuthServiceException} (a runaway regex), never anything else and never a hang.
 */
class AclPatternFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void compileAndMatch_anyGlob_compilesOrRejectsAndNeverHangs(FuzzedDataProvider data) {
        // Globs only: a /regex/ is handed to the JDK's parser as the administrator wrote it, while a glob
        // is translated by our code, which must never produce an invalid regex.
        String pattern = "g" + data.consumeString(200);
        String value = data.consumeString(100);
        String account = data.consumeRemainingAsString();
        AclPattern p;
        try {
            p = AclPattern.compile(pattern);
        } catch (AclPatternException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        try {
            p.matches(value, Map.of("account", account, "name", value, "service", "s", "type", "repository"), new HashMap<>());
        } catch (AuthServiceException | AclPatternException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void ipRange_anyText_parsesOrRejects(FuzzedDataProvider data) {
        String range = data.consumeString(60);
        String ip = data.consumeRemainingAsString();
        try {
            IpRange.parse(range).contains(ip);
        } catch (AclPatternException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
