package dev.portcullis.registryauth;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.inventory.Inventory;
import java.util.List;

/** Builds the configured authenticators after static users, and the authorizers, in docker_auth's order. */
final class ExternalAuthFactories {
    private ExternalAuthFactories() {}

    static List<Authenticator> authenticators(ConfigSection root, ExternalCalls calls) {
        List<Authenticator> out = new java.util.ArrayList<>();
        if (root.has("ext_auth")) {
            out.add(calls.counted("ext_auth", ExtAuthAuthenticator.from(root.section("ext_auth"))));
        }
        if (root.has("ldap_auth")) {
            out.add(calls.counted("ldap_auth", LdapAuthenticator.from(root.section("ldap_auth"))));
        }
        return out;
    }

    static List<Authorizer> authorizers(ConfigSection root, java.time.Clock clock, ExternalCalls calls, Inventory inventory) {
        List<Authorizer> out = new java.util.ArrayList<>();
        if (root.has("acl")) {
            out.add(AclAuthorizer.from(root.sectionList("acl"), inventory));
        }
        if (root.has("ext_authz")) {
            out.add(calls.counted("ext_authz", ExtAuthzAuthorizer.from(root.section("ext_authz"))));
        }
        if (root.has("http_authz")) {
            HttpAuthzAuthorizer http = HttpAuthzAuthorizer.from(root.section("http_authz"), clock);
            calls.circuit("http_authz", http::circuitOpen);
            out.add(calls.counted("http_authz", http));
        }
        return out;
    }
}
