package dev.portcullis.registryauth;

/**
 * Decides which of the requested actions a request may have. Implementations: the static ACL, an
 * external command ({@code ext_authz}), an HTTP endpoint ({@code http_authz}). They are asked in that
 * order; the first that does not answer {@link AuthzResult.NoMatch} decides.
 */
interface Authorizer {

    /** Throws {@link AuthServiceException} when it cannot decide (a command failed, an endpoint is down). */
    AuthzResult authorize(AuthzRequest request);
}
