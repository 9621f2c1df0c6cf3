package dev.portcullis.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** A class whose tool is missing shows up in the count as skipped tests, with the reason. */
class RequiresToolsTest {

    /** Needs a tool no machine has; its start-up would fail if it ran. */
    @RequiresTools({"openssl", "portcullis-no-such-tool"})
    static class NeedsMissingTool {
        @BeforeAll
        static void start() {
            throw new IllegalStateException("started without its tool");
        }

        @Test
        void first() {}

        @Test
        void second() {}
    }

    /** Needs a tool every machine has (the shell the launcher runs in). */
    @RequiresTools("sh")
    static class NeedsShell {
        @Test
        void only() {}
    }

    @Test
    void missingTool_classSkippedWithTheToolNamedNotAborted() {
        Events containers = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeedsMissingTool.class)).execute()
                .containerEvents();
        // Skipped (Surefire counts each of its tests as skipped), not aborted (Surefire counts none of them).
        assertThat(containers.aborted().count()).isZero();
        assertThat(containers.failed().count()).isZero();
        assertThat(containers.skipped().list()).singleElement().satisfies(e ->
                assertThat(e.getPayload(String.class).orElse("")).contains("not installed: portcullis-no-such-tool")
                        .doesNotContain("openssl"));
    }

    @Test
    void toolsPresent_testsRun() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeedsShell.class)).execute().testEvents();
        assertThat(tests.succeeded().count()).isEqualTo(1);
    }
}
