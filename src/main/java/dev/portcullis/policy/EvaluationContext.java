package dev.portcullis.policy;

import java.util.Optional;

/** Where a workload runs: cluster ({@code location.name}), namespace, service account, SPIFFE id. */
public record EvaluationContext(Optional<String> cluster, Optional<String> namespace, Optional<String> serviceAccount,
                                Optional<String> spiffeId) {
    public static EvaluationContext none() {
        return new EvaluationContext(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
