package dev.portcullis.registryauth;

import java.util.Objects;
import java.util.Set;

/** One authorizer's answer for one scope: the actions a rule grants (possibly none), or no matching rule. */
sealed interface AuthzResult {

    /**
     * A rule matched and grants these actions (an empty set is a denial by that rule).
     *
     * @param rule names the rule for the audit log, e.g. {@code acl[2] "admins may do anything"}
     */
    record Decided(Set<String> actions, String rule) implements AuthzResult {
        public Decided {
            actions = Set.copyOf(actions);
            Objects.requireNonNull(rule, "rule");
        }
    }

    /** No rule of this authorizer matched: ask the next one; when none is left, deny. */
    record NoMatch() implements AuthzResult {}
}
