package dev.portcullis.registryauth;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One authenticator's answer for a user name and password. */
sealed interface AuthnResult {

    /** The credentials are right; {@code labels} feed the ACL's {@code labels} match and placeholders. */
    record Authenticated(Map<String, List<String>> labels, String by) implements AuthnResult {
        public Authenticated {
            labels = Map.copyOf(labels);
            Objects.requireNonNull(by, "by");
        }
    }

    /** This authenticator knows the account and refuses the credentials: stop, the login fails. */
    record Rejected(String by) implements AuthnResult {
        public Rejected {
            Objects.requireNonNull(by, "by");
        }
    }

    /** This authenticator does not know the account: ask the next one. */
    record NoMatch() implements AuthnResult {}
}
