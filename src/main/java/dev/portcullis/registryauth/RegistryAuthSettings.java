package dev.portcullis.registryauth;

import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigSection;
import java.time.Duration;
import java.util.Set;

/**
 * The token authority's configuration as read before anything starts: the {@code token} and
 * {@code login} sections, a refusal of the docker_auth sections not supported yet, and the root the
 * authenticator and authorizer sections are built from at start.
 */
public record RegistryAuthSettings(ConfigSection root, TokenSettings token, Duration cacheTtl, int maxFailures,
                                   int maxFailuresPerAddress, Duration failureWindow) {
    private static final Set<String> LOGIN_KEYS = Set.of("cache_ttl", "max_failures", "max_failures_per_address",
            "failure_window");

    public static RegistryAuthSettings from(ConfigSection root) {
        for (String key : root.keys()) {
            if (RegistryAuth.UNSUPPORTED.contains(key)) {
                throw new ConfigException(root.locationOf(key) + ": the docker_auth section '" + key
                        + "' is not supported yet; remove it or use users, ext_auth, ldap_auth, acl, ext_authz or http_authz");
            }
        }
        TokenSettings token = TokenSettings.from(root.section("token"));
        ConfigSection login = root.section("login");
        login.rejectUnknown(LOGIN_KEYS);
        int maxFailures = login.integer("max_failures", 10, 1, 1_000_000);
        // Per client address: many accounts tried from one address, each below its own limit.
        return new RegistryAuthSettings(root, token, login.duration("cache_ttl", Duration.ofSeconds(60)), maxFailures,
                login.integer("max_failures_per_address", 10 * maxFailures, 1, 10_000_000),
                login.duration("failure_window", Duration.ofMinutes(1)));
    }
}
