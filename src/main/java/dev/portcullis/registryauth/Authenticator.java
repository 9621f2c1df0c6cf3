package dev.portcullis.registryauth;

import dev.portcullis.config.Secret;

/**
 * Checks a user name and password. Implementations: static users (bcrypt), an external command
 * ({@code ext_auth}), LDAP ({@code ldap_auth}). Asked in that order; the first that does not answer
 * {@link AuthnResult.NoMatch} decides.
 */
public interface Authenticator {

    /** Throws {@link AuthServiceException} when it cannot decide (directory down, command crashed). */
    AuthnResult authenticate(String account, Secret password);
}
