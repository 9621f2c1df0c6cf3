package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.MemoryUsage;
import org.junit.jupiter.api.Test;

class IngestBudgetTest {
    private static final long MB = 1 << 20;

    @Test
    void refusal_oldGenerationFullWhileTheHeapLooksHalfEmpty_refusesNamingTheOldGeneration() {
        // The launcher's small heap: 96 MB with a fixed 56 MB young generation leaves 40 MB for the index.
        IngestBudget budget = new IngestBudget(45 * MB, () -> 50 * MB, 90 * MB, () -> new MemoryUsage(0, 39 * MB, 40 * MB, 40 * MB));
        assertThat(budget.refusal(AttestationIndex.EMPTY)).hasValueSatisfying(r -> assertThat(r)
                .isEqualTo("the old generation holds 39 MB after collection, over 90% of its 40 MB"));
    }

    @Test
    void refusal_oldGenerationWithRoom_refusesNothing() {
        IngestBudget budget = new IngestBudget(45 * MB, () -> 50 * MB, 90 * MB, () -> new MemoryUsage(0, 30 * MB, 40 * MB, 40 * MB));
        assertThat(budget.refusal(AttestationIndex.EMPTY)).isEmpty();
        IngestBudget noPool = new IngestBudget(45 * MB, () -> 50 * MB, 90 * MB, () -> null);
        assertThat(noPool.refusal(AttestationIndex.EMPTY)).isEmpty();
    }
}
