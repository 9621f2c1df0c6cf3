package dev.portcullis.registryauth;

import dev.portcullis.config.ConfigSection;
import java.util.List;

/** Builds the configured authenticators after static users, and the authorizers, in docker_auth's order. */
final class ExternalAuthFactories {
    private ExternalAuthFactories() {}

    static List<Authenticator> authenticators(ConfigSection root) {
        return List.of();
    }

    static List<Authorizer> authorizers(ConfigSection root) {
        List<Authorizer> out = new java.util.ArrayList<>();
        if (root.has("acl")) {
            out.add(AclAuthorizer.from(root.sectionList("acl")));
        }
        return out;
    }
}
