package dev.portcullis.registryauth;

import dev.portcullis.config.Secret;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an authenticator can say about an account when no password is sent: a refresh token is
 * redeemed, or one is about to be issued. A refresh token is only as good as this answer.
 */
sealed interface AccountState {

    /**
     * The authenticator holds the account now.
     *
     * @param credential what the account's password is checked against (a bcrypt hash), never the
     *                   password; only a keyed fingerprint of it leaves the token authority
     * @param labels     the account's labels as they are now
     */
    record Present(Secret credential, Map<String, List<String>> labels, String by) implements AccountState {
        public Present {
            Objects.requireNonNull(credential, "credential");
            labels = Map.copyOf(labels);
            Objects.requireNonNull(by, "by");
        }
    }

    /** The authenticator does not hold the account: ask the next one. */
    record Absent() implements AccountState {}

    /**
     * The authenticator may hold the account but cannot re-check it without the password
     * ({@code ext_auth}, {@code ldap_auth}): no refresh token may stand in for a login there.
     */
    record Unverifiable(String by) implements AccountState {
        public Unverifiable {
            Objects.requireNonNull(by, "by");
        }
    }
}
