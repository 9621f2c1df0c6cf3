package dev.portcullis.registryauth;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The token authority: authenticates the client (cached, throttled) or re-checks its refresh token,
 * asks the authorizers for each scope, writes the decisions to the audit log with the token's id (one
 * record and one durable append per token, naming each scope's grant and rule) and signs the token. A scope is granted only the actions allowed; a partial or empty grant is not an
 * error, as the token spec says.
 */
public final class TokenService {
    private final List<Authenticator> authenticators;
    private final List<Authorizer> authorizers;
    private final TokenSigner signer;
    private final AuditLog audit;
    private final Clock clock;
    private final CredentialCache cache;
    private final LoginThrottle throttle;
    private final RefreshTokens refreshTokens;

    public TokenService(List<Authenticator> authenticators, List<Authorizer> authorizers, TokenSigner signer,
                        RefreshEpochs epochs, AuditLog audit, Clock clock, Duration credentialCacheTtl,
                        int maxFailedLogins, Duration failedLoginWindow) {
        this(authenticators, authorizers, signer, epochs, audit, clock, credentialCacheTtl, maxFailedLogins,
                maxFailedLogins * 10, failedLoginWindow);
    }

    public TokenService(List<Authenticator> authenticators, List<Authorizer> authorizers, TokenSigner signer,
                        RefreshEpochs epochs, AuditLog audit, Clock clock, Duration credentialCacheTtl,
                        int maxFailedLogins, int maxFailedLoginsPerAddress, Duration failedLoginWindow) {
        this.authenticators = List.copyOf(authenticators);
        this.authorizers = List.copyOf(authorizers);
        this.signer = signer;
        this.audit = audit;
        this.clock = clock;
        this.cache = new CredentialCache(credentialCacheTtl, clock);
        this.throttle = new LoginThrottle(maxFailedLogins, maxFailedLoginsPerAddress, failedLoginWindow, clock);
        this.refreshTokens = new RefreshTokens(authenticators, signer, epochs, audit, clock);
    }

    /** Issues a token, or throws {@link AuthenticationFailedException}, {@link TooManyAttemptsException}, ... */
    public TokenResponse issue(TokenRequest request) {
        String account;
        String by;
        Map<String, List<String>> labels;
        if (request.isRefresh()) {
            RefreshTokens.Holder holder = refreshTokens.redeem(request);
            account = holder.account();
            by = holder.by();
            labels = holder.labels();
        } else {
            AuthnResult.Authenticated who = authenticate(request);
            account = request.credentials().user();
            by = who.by();
            labels = who.labels();
        }
        // The id is drawn first so that every decision behind the token names it in the audit log.
        String jti = TokenSigner.newId();
        List<GrantedScope> granted = new ArrayList<>(request.scopes().size());
        List<String> rules = new ArrayList<>(request.scopes().size());
        for (Scope scope : request.scopes()) {
            Decision d = authorize(request, account, labels, scope);
            granted.add(d.granted());
            rules.add(scope + " <- " + d.rule());
        }
        if (request.scopes().isEmpty()) {
            record(request, account, "login", "allow", "authenticated", "service=" + request.service() + " jti=" + jti);
        } else {
            recordScopes(request, account, granted, rules, jti);
        }
        Instant now = clock.instant();
        String token = signer.accessToken(account, request.service(), granted, now, jti);
        String refresh = request.offline() ? refreshTokens.issue(request, account, by, now) : "";
        return new TokenResponse(token, signer.expiration().toSeconds(), now, refresh, granted);
    }

    /**
     * Refuses every refresh token issued for {@code account} so far (its epoch moves on), audited with
     * {@code admin} as the subject; returns the new epoch. Throws {@code StoreException} or {@code AuditException}.
     */
    public long revokeRefreshTokens(String account, String admin, String clientIp) {
        return refreshTokens.revoke(account, admin, clientIp);
    }

    private AuthnResult.Authenticated authenticate(TokenRequest request) {
        String user = request.credentials().user();
        Secret password = request.credentials().password();
        AuthnResult.Authenticated cached = cache.get(user, password);
        if (cached != null) {
            return cached;
        }
        try {
            throttle.check(user, request.clientIp());
        } catch (TooManyAttemptsException e) {
            recordFailedLogin(request, e.rule());
            throw e;
        }
        for (Authenticator a : authenticators) {
            AuthnResult r = a.authenticate(user, password);
            switch (r) {
                case AuthnResult.Authenticated ok -> {
                    throttle.succeeded(user, request.clientIp());
                    cache.put(user, password, ok);
                    return ok;
                }
                case AuthnResult.Rejected rejected -> {
                    return fail(request, "credentials refused by " + rejected.by());
                }
                case AuthnResult.NoMatch none -> {
                    // the next authenticator may know the account
                }
            }
        }
        return fail(request, request.credentials().isAnonymous() ? "anonymous access is not configured"
                : "no authenticator knows this account");
    }

    private AuthnResult.Authenticated fail(TokenRequest request, String why) {
        throttle.failed(request.credentials().user(), request.clientIp());
        recordFailedLogin(request, why);
        throw new AuthenticationFailedException("authentication failed");
    }

    // Anyone can send failed logins by the thousand: the log may fold one address's repeats into one record.
    private void recordFailedLogin(TokenRequest request, String rule) {
        audit.recordRepeated(LoginThrottle.source(request.clientIp()), new AuditEvent(clock.instant(), "registryauth",
                "token", request.credentials().user(), request.clientIp(), "login", "deny", rule,
                "service=" + request.service()));
    }

    /** One scope's grant and the rule that decided it. */
    private record Decision(GrantedScope granted, String rule) {}

    private Decision authorize(TokenRequest request, String account, Map<String, List<String>> labels, Scope scope) {
        AuthzRequest ask = new AuthzRequest(account, scope.type(), scope.name(), request.service(), request.clientIp(),
                scope.actions(), labels);
        for (Authorizer a : authorizers) {
            AuthzResult r = a.authorize(ask);
            if (r instanceof AuthzResult.Decided d) {
                return new Decision(new GrantedScope(scope.type(), scope.name(), intersect(scope.actions(), d.actions())), d.rule());
            }
        }
        return new Decision(new GrantedScope(scope.type(), scope.name(), Set.of()), "no rule matched");
    }

    // Every scope of the request in one record: object the scopes asked for, rule "scope <- rule" each,
    // detail what each was granted. allow when every action asked was granted, deny when none was.
    private void recordScopes(TokenRequest request, String account, List<GrantedScope> granted, List<String> rules, String jti) {
        int asked = 0;
        int given = 0;
        StringBuilder detail = new StringBuilder("granted=");
        StringBuilder object = new StringBuilder();
        for (int i = 0; i < granted.size(); i++) {
            Scope scope = request.scopes().get(i);
            GrantedScope g = granted.get(i);
            asked += scope.actions().size();
            given += g.actions().size();
            detail.append(i == 0 ? "" : " ").append(g.type()).append(':').append(g.name()).append(':');
            boolean first = true;
            for (String action : scope.actions()) {   // in the order asked
                if (g.actions().contains(action)) {
                    detail.append(first ? "" : ",").append(action);
                    first = false;
                }
            }
            object.append(i == 0 ? "" : " ").append(scope);
        }
        String decision = given == 0 ? "deny" : given == asked ? "allow" : "partial";
        record(request, account, object.toString(), decision, String.join("; ", rules), detail.append(" jti=").append(jti).toString());
    }

    private static Set<String> intersect(Set<String> requested, Set<String> allowed) {
        if (allowed.contains("*")) {
            return requested;
        }
        Set<String> out = new LinkedHashSet<>(requested);
        out.retainAll(allowed);
        return out;
    }

    private void record(TokenRequest request, String account, String object, String decision, String rule, String detail) {
        audit.record(new AuditEvent(clock.instant(), "registryauth", "token", account, request.clientIp(), object,
                decision, rule, detail));
    }
}
