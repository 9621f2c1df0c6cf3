package dev.portcullis.policy;

import java.util.Objects;

/** The policy in force and the YAML it was given in: one value, so the two never disagree. */
public record PolicyState(BinauthzPolicy policy, String yaml) {
    public PolicyState {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(yaml, "yaml");
    }

    /** Parses YAML; a bad one throws and nothing changes. */
    public static PolicyState parse(String yaml, String source) {
        return new PolicyState(BinauthzPolicy.parse(yaml, source), yaml);
    }
}
