package dev.portcullis.registryauth;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The token authority built from a docker_auth configuration file: the {@code token}, {@code users},
 * {@code ext_auth}, {@code ldap_auth}, {@code acl}, {@code ext_authz} sections, our {@code http_authz}
 * and {@code login} sections, and a clear refusal of the docker_auth sections not supported yet.
 */
public record RegistryAuth(TokenService service, TokenSigner signer, TokenSettings tokenSettings,
                           boolean hasAuthenticators, boolean hasAuthorizers) {
    /** Top-level sections this capability reads. */
    public static final Set<String> SECTIONS = Set.of("token", "users", "ext_auth", "ldap_auth", "acl",
            "ext_authz", "http_authz", "login");

    /** docker_auth sections we do not support yet: starting with one of them is an error, never a silent gap. */
    public static final Set<String> UNSUPPORTED = Set.of("google_auth", "github_auth", "oidc_auth", "gitlab_auth",
            "mongo_auth", "xorm_auth", "plugin_authn", "plugin_authz", "casbin_authz", "acl_mongo", "acl_xorm");

    private static final Set<String> LOGIN_KEYS = Set.of("cache_ttl", "max_failures", "max_failures_per_address",
            "failure_window");

    /** Builds the token authority; the refresh token epochs are read from {@code database} here, once. */
    public static RegistryAuth from(ConfigSection root, Path dataDir, Database database, AuditLog audit, Clock clock) {
        for (String key : root.keys()) {
            if (UNSUPPORTED.contains(key)) {
                throw new ConfigException(root.locationOf(key) + ": the docker_auth section '" + key
                        + "' is not supported yet; remove it or use users, ext_auth, ldap_auth, acl, ext_authz or http_authz");
            }
        }
        TokenSettings tokenSettings = TokenSettings.from(root.section("token"));
        TokenSigner signer = new TokenSigner(SigningKeys.load(tokenSettings, dataDir, clock), tokenSettings, clock);
        List<Authenticator> authenticators = new ArrayList<>();
        if (root.has("users")) {
            authenticators.add(StaticUsers.from(root.section("users")));
        }
        authenticators.addAll(ExternalAuthFactories.authenticators(root));
        List<Authorizer> authorizers = new ArrayList<>(ExternalAuthFactories.authorizers(root, clock));
        ConfigSection login = root.section("login");
        login.rejectUnknown(LOGIN_KEYS);
        int maxFailures = login.integer("max_failures", 10, 1, 1_000_000);
        TokenService service = new TokenService(authenticators, authorizers, signer, RefreshEpochs.load(database), audit, clock,
                login.duration("cache_ttl", Duration.ofSeconds(60)), maxFailures,
                login.integer("max_failures_per_address", 10 * maxFailures, 1, 10_000_000),
                login.duration("failure_window", Duration.ofMinutes(1)));
        return new RegistryAuth(service, signer, tokenSettings, !authenticators.isEmpty(), !authorizers.isEmpty());
    }
}
