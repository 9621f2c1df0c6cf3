package dev.portcullis.registryauth;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.inventory.Inventory;
import dev.portcullis.platform.Module;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The token authority built from a docker_auth configuration file: the {@code token}, {@code users},
 * {@code ext_auth}, {@code ldap_auth}, {@code acl}, {@code ext_authz} sections, our {@code http_authz}
 * and {@code login} sections, and a clear refusal of the docker_auth sections not supported yet.
 */
public record RegistryAuth(TokenService service, TokenSigner signer, TokenSettings tokenSettings,
                           boolean hasAuthenticators, boolean hasAuthorizers, ExternalCalls externalCalls) implements Module {
    /** Top-level sections this capability reads. */
    public static final Set<String> SECTIONS = Set.of("token", "users", "ext_auth", "ldap_auth", "acl",
            "ext_authz", "http_authz", "login");

    /** docker_auth sections we do not support yet: starting with one of them is an error, never a silent gap. */
    public static final Set<String> UNSUPPORTED = Set.of("google_auth", "github_auth", "oidc_auth", "gitlab_auth",
            "mongo_auth", "xorm_auth", "plugin_authn", "plugin_authz", "casbin_authz", "acl_mongo", "acl_xorm");

    /** Reads the sections and builds the token authority, with a change feed of its own (one process). */
    public static RegistryAuth from(ConfigSection root, Path dataDir, Database database, AuditLog audit, Clock clock) {
        return from(RegistryAuthSettings.from(root), dataDir, database, ChangeFeed.open(database, clock), audit, clock,
                Inventory.none());
    }

    /**
     * Builds the token authority from its settings; the refresh token epochs are read from {@code database}
     * here and follow {@code feed} from then on (a revocation through another replica); the ACL's
     * {@code @inventory:NAME} conditions read the sets of {@code inventory}.
     */
    static RegistryAuth from(RegistryAuthSettings settings, Path dataDir, Database database, ChangeFeed feed, AuditLog audit,
                             Clock clock, Inventory inventory) {
        ConfigSection root = settings.root();
        TokenSettings tokenSettings = settings.token();
        TokenSigner signer = new TokenSigner(SigningKeys.load(tokenSettings, dataDir, clock), tokenSettings, clock);
        List<Authenticator> authenticators = new ArrayList<>();
        if (root.has("users")) {
            authenticators.add(StaticUsers.from(root.section("users")));
        }
        ExternalCalls calls = new ExternalCalls();
        authenticators.addAll(ExternalAuthFactories.authenticators(root, calls));
        List<Authorizer> authorizers = new ArrayList<>(ExternalAuthFactories.authorizers(root, clock, calls, inventory));
        TokenService service = new TokenService(authenticators, authorizers, signer, RefreshEpochs.load(database, feed), audit, clock,
                settings.cacheTtl(), settings.maxFailures(), settings.maxFailuresPerAddress(), settings.failureWindow());
        return new RegistryAuth(service, signer, tokenSettings, !authenticators.isEmpty(), !authorizers.isEmpty(), calls);
    }

    @Override
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        if (!hasAuthenticators) {
            out.add("no users, ext_auth or ldap_auth configured: every login is refused");
        }
        if (!hasAuthorizers) {
            out.add("no acl, ext_authz or http_authz configured: every scope is denied");
        }
        return out;
    }
}
