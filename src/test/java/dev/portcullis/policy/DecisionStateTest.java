package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy with its YAML as one snapshot: replaced whole, here and, through the feed, on another replica. */
class DecisionStateTest {
    private static final String ALLOW = "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, "
            + "enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n";

    private static EvaluationModeOf mode(DecisionSnapshot s) {
        return new EvaluationModeOf(s.policy().policy().select(EvaluationContext.none()).rule().evaluationMode().name(),
                s.policy().yaml());
    }

    private record EvaluationModeOf(String parsed, String yaml) {}

    @Test
    void replace_snapshotTakenBefore_keepsTheOldPolicyWithItsOldYaml() {
        try (Database db = Database.open(StoreSettings.inMemory("decision-" + System.nanoTime()))) {
            PolicyStore store = new PolicyStore(db, Clock.systemUTC());
            DecisionSnapshot before = store.snapshot();

            store.replace(ALLOW);

            assertThat(mode(before)).isEqualTo(new EvaluationModeOf("ALWAYS_DENY", PolicyStore.DEFAULT_YAML));
            assertThat(mode(store.snapshot())).isEqualTo(new EvaluationModeOf("ALWAYS_ALLOW", ALLOW));
        }
    }

    @Test
    void replace_onAnotherReplica_isInForceHereAfterTheCatchUpAsOneChange() {
        try (Database db = Database.open(StoreSettings.inMemory("decision-" + System.nanoTime()))) {
            PolicyStore writer = new PolicyStore(db, Clock.systemUTC());
            ChangeFeed feed = ChangeFeed.open(db, Clock.systemUTC());
            DecisionState state = new DecisionState();
            PolicyStore follower = new PolicyStore(db, Clock.systemUTC(), feed, state);

            writer.replace(ALLOW);
            assertThat(follower.yaml()).isEqualTo(PolicyStore.DEFAULT_YAML);
            assertThat(feed.catchUp()).isTrue();

            assertThat(mode(state.current())).isEqualTo(new EvaluationModeOf("ALWAYS_ALLOW", ALLOW));
            assertThat(follower.yaml()).isEqualTo(ALLOW);
        }
    }

    @Test
    void attestationsChange_policyPartOfTheSnapshotIsTheSameValue() {
        DecisionState state = new DecisionState();
        DecisionSnapshot before = state.current();

        state.attestations().update(a -> a.withAttestor("projects/p/attestors/x"));

        assertThat(state.current().policy()).isSameAs(before.policy());
        assertThat(state.current().attestations().keysOf("projects/p/attestors/x")).isEqualTo(Optional.of(java.util.Map.of()));
        assertThat(before.attestations().keysOf("projects/p/attestors/x")).isEmpty();
    }
}
