package dev.portcullis.registryauth;

import dev.portcullis.config.ConfigSection;
import java.util.List;

/** Builds the configured authenticators after static users, and the authorizers, in docker_auth's order. */
final class ExternalAuthFactories {
    private ExternalAuthFactories() {}

    static List<Authenticator> authenticators(ConfigSection root) {
        List<Authenticator> out = new java.util.ArrayList<>();
        if (root.has("ext_auth")) {
            out.add(ExtAuthAuthenticator.from(root.section("ext_auth")));
        }
        if (root.has("ldap_auth")) {
            out.add(LdapAuthenticator.from(root.section("ldap_auth")));
        }
        return out;
    }

    static List<Authorizer> authorizers(ConfigSection root, java.time.Clock clock) {
        List<Authorizer> out = new java.util.ArrayList<>();
        if (root.has("acl")) {
            out.add(AclAuthorizer.from(root.sectionList("acl")));
        }
        if (root.has("ext_authz")) {
            out.add(ExtAuthzAuthorizer.from(root.section("ext_authz")));
        }
        if (root.has("http_authz")) {
            out.add(HttpAuthzAuthorizer.from(root.section("http_authz"), clock));
        }
        return out;
    }
}
