package dev.portcullis.registryauth;

import dev.portcullis.config.Secret;

/**
 * Checks a user name and password. Implementations: static users (bcrypt), an external command
 * ({@code ext_auth}), LDAP ({@code ldap_auth}). Asked in that order; the first that does not answer
 * {@link AuthnResult.NoMatch} decides.
 */
interface Authenticator {

    /** Throws {@link AuthServiceException} when it cannot decide (directory down, command crashed). */
    AuthnResult authenticate(String account, Secret password);

    /**
     * The account as this authenticator holds it now, without a password: what a refresh token is
     * re-checked against. An authenticator that cannot tell answers {@link AccountState.Unverifiable},
     * and its accounts get no refresh tokens.
     */
    AccountState lookup(String account);
}
