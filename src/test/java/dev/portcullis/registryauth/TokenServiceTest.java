package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.JdbcAuditLog;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.Secret;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import dev.portcullis.testbed.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {
    private static final String HASH = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);

    @TempDir
    Path dataDir;

    private Database db;
    private JdbcAuditLog audit;
    private final AtomicInteger bcryptCalls = new AtomicInteger();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private TokenSigner signer;

    @BeforeEach
    void setUp() {
        db = Database.open(StoreSettings.inMemory("tokens-" + System.nanoTime()));
        audit = new JdbcAuditLog(db);
        TokenSettings settings = TokenSettings.from(ConfigDocument.parse("token: {issuer: test-issuer, expiration: 600}",
                "t.yml", Map.of()).root().section("token"));
        signer = new TokenSigner(SigningKeys.load(settings, dataDir, clock), settings, clock);
    }

    @AfterEach
    void tearDown() {
        audit.close();
        db.close();
    }

    private TokenService service() {
        return service(30);
    }

    private TokenService service(int maxFailuresPerAddress) {
        StaticUsers users = StaticUsers.from(ConfigDocument.parse(
                "users:\n  alice: {password: '" + HASH + "', labels: {team: [red]}}\n  '': {}\n", "u.yml", Map.of())
                .root().section("users"));
        Authenticator counting = new Authenticator() {
            @Override
            public AuthnResult authenticate(String account, Secret password) {
                bcryptCalls.incrementAndGet();
                return users.authenticate(account, password);
            }

            @Override
            public AccountState lookup(String account) {
                return users.lookup(account);
            }
        };
        Authorizer acl = request -> switch (request.account()) {
            case "alice" -> new AuthzResult.Decided(Set.of("pull"), "acl[0] \"alice pulls\"");
            case "" -> request.name().startsWith("public/")
                    ? new AuthzResult.Decided(Set.of("pull"), "acl[1]") : new AuthzResult.NoMatch();
            default -> new AuthzResult.NoMatch();
        };
        return new TokenService(List.of(counting), List.of(acl), signer, RefreshEpochs.load(db), audit, clock, Duration.ofSeconds(60), 3,
                maxFailuresPerAddress, Duration.ofMinutes(1));
    }

    private static TokenRequest request(String user, String password, String... scopes) {
        return new TokenRequest(new Credentials(user, Secret.of(password)), "", "registry.local",
                java.util.Arrays.stream(scopes).map(Scope::parse).toList(), false, "", "10.0.0.1", false);
    }

    @Test
    void issue_pushAndPullWhereAclAllowsPull_grantsOnlyPullAndSignsClaims() throws Exception {
        TokenResponse r = service().issue(request("alice", "secret", "repository:team/app:pull,push"));

        assertThat(r.granted()).containsExactly(new GrantedScope("repository", "team/app", Set.of("pull")));
        SignedJWT jwt = SignedJWT.parse(r.token());
        assertThat(jwt.verify(new ECDSAVerifier((ECKey) signer.key().publicJwk()))).isTrue();
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(signer.key().keyId());
        assertThat(jwt.getHeader().getX509CertChain()).hasSize(1);
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("test-issuer");
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly("registry.local");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(clock.instant().plusSeconds(600));
        assertThat(claims.getJWTID()).hasSize(32);
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(clock.instant());
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(clock.instant().minusSeconds(1));
        assertThat(claims.getClaims().keySet()).containsExactly("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "access");
        assertThat(claims.getListClaim("access"))
                .containsExactly(java.util.Map.of("type", "repository", "name", "team/app", "actions", java.util.List.of("pull")));
        assertThat(r.expiresInSeconds()).isEqualTo(600);
    }

    @Test
    void issue_partialGrant_isAuditedWithTheRule() {
        service().issue(request("alice", "secret", "repository:team/app:pull,push"));
        AuditEvent e = audit.recent(1).get(0);
        assertThat(e.decision()).isEqualTo("partial");
        assertThat(e.rule()).isEqualTo("repository:team/app:pull,push <- acl[0] \"alice pulls\"");
        assertThat(e.subject()).isEqualTo("alice");
        assertThat(e.clientIp()).isEqualTo("10.0.0.1");
        assertThat(e.object()).isEqualTo("repository:team/app:pull,push");
        assertThat(e.detail()).startsWith("granted=repository:team/app:pull jti=");
    }

    @Test
    void issue_threeScopes_isOneRecordAndOneAppendNamingEachScopesGrantAndRule() throws Exception {
        int before = audit.recent(10_000).size();
        AtomicInteger appends = new AtomicInteger();
        dev.portcullis.audit.AuditLog counting = new dev.portcullis.audit.AuditLog() {
            @Override
            public void record(AuditEvent event) {
                appends.incrementAndGet();
                audit.record(event);
            }

            @Override
            public List<AuditEvent> recent(int limit) {
                return audit.recent(limit);
            }

            @Override
            public void close() {
            }
        };
        TokenService s = new TokenService(List.of(StaticUsers.from(ConfigDocument.parse(
                "users: {\"\": {}}", "u.yml", Map.of()).root().section("users"))), List.of(request -> request.name().startsWith("public/")
                        ? new AuthzResult.Decided(Set.of("pull"), "acl[1]") : new AuthzResult.NoMatch()),
                signer, RefreshEpochs.load(db), counting, clock, Duration.ofSeconds(60), 3, Duration.ofMinutes(1));

        TokenResponse r = s.issue(request("", "", "repository:public/a:pull", "repository:public/b:pull,push",
                "repository:private/c:pull"));

        assertThat(appends).hasValue(1);
        assertThat(audit.recent(10_000)).hasSize(before + 1);
        AuditEvent e = audit.recent(1).get(0);
        assertThat(e.object()).isEqualTo("repository:public/a:pull repository:public/b:pull,push repository:private/c:pull");
        assertThat(e.decision()).isEqualTo("partial");
        assertThat(e.rule()).isEqualTo("repository:public/a:pull <- acl[1]; repository:public/b:pull,push <- acl[1]; "
                + "repository:private/c:pull <- no rule matched");
        assertThat(e.detail()).isEqualTo("granted=repository:public/a:pull repository:public/b:pull repository:private/c: jti="
                + SignedJWT.parse(r.token()).getJWTClaimsSet().getJWTID());
    }

    @Test
    void issue_noRuleMatches_grantsNothingAndAuditsDenial() {
        TokenResponse r = service().issue(request("", "", "repository:private/app:pull"));
        assertThat(r.granted().get(0).actions()).isEmpty();
        assertThat(audit.recent(1).get(0).decision()).isEqualTo("deny");
        assertThat(audit.recent(1).get(0).rule()).isEqualTo("repository:private/app:pull <- no rule matched");
    }

    @Test
    void issue_wrongPassword_failsAndNeverLogsPassword() {
        assertThatThrownBy(() -> service().issue(request("alice", "hunter2", "repository:a:pull")))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageNotContaining("hunter2");
        assertThat(audit.recent(10)).allSatisfy(e -> assertThat(e.toString()).doesNotContain("hunter2"));
        assertThat(audit.recent(1).get(0).decision()).isEqualTo("deny");
    }

    @Test
    void issue_sameCredentialsTwice_checksBcryptOnce() {
        TokenService s = service();
        s.issue(request("alice", "secret", "repository:a:pull"));
        s.issue(request("alice", "secret", "repository:a:pull"));
        assertThat(bcryptCalls).hasValue(1);
    }

    @Test
    void issue_cachedCredentialsAfterTtl_checksAgain() {
        TokenService s = service();
        s.issue(request("alice", "secret"));
        clock.advance(Duration.ofSeconds(61));
        s.issue(request("alice", "secret"));
        assertThat(bcryptCalls).hasValue(2);
    }

    @Test
    void issue_tooManyFailures_throttlesWithRetryAfterThenRecovers() {
        TokenService s = service();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> s.issue(request("alice", "bad"))).isInstanceOf(AuthenticationFailedException.class);
        }
        assertThatThrownBy(() -> s.issue(request("alice", "secret")))
                .isInstanceOfSatisfying(TooManyAttemptsException.class,
                        e -> assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
        assertThat(audit.recent(1).get(0).rule()).startsWith("login.max_failures: 3");   // the refusal is a decision too
        clock.advance(Duration.ofMinutes(2));
        assertThat(s.issue(request("alice", "secret")).token()).isNotEmpty();
    }

    @Test
    void issue_failuresAcrossAccountsFromOneAddress_throttledAndAuditedWithTheAddressRule() {
        TokenService s = service(5);
        for (int i = 0; i < 5; i++) {
            String name = "nobody-" + i;
            assertThatThrownBy(() -> s.issue(request(name, ""))).isInstanceOf(AuthenticationFailedException.class);
        }
        int before = bcryptCalls.get();
        assertThatThrownBy(() -> s.issue(request("alice", "secret")))
                .isInstanceOfSatisfying(TooManyAttemptsException.class, e -> assertThat(e.retryAfter()).isPositive());
        assertThat(bcryptCalls).hasValue(before);   // refused before any password is checked
        AuditEvent refused = audit.recent(1).get(0);
        assertThat(refused.decision()).isEqualTo("deny");
        assertThat(refused.rule()).startsWith("login.max_failures_per_address: 5");
        assertThat(refused.subject()).isEqualTo("alice");
        TokenRequest otherAddress = new TokenRequest(new Credentials("alice", Secret.of("secret")), "", "registry.local",
                List.of(), false, "", "10.0.0.2", false);
        assertThat(s.issue(otherAddress).token()).isNotEmpty();
    }

    @Test
    void issue_offlineThenRefresh_issuesNewTokenForSameAccount() throws Exception {
        TokenService s = service();
        TokenRequest offline = new TokenRequest(new Credentials("alice", Secret.of("secret")), "", "registry.local",
                List.of(), true, "docker", "10.0.0.1", true);
        String refresh = s.issue(offline).refreshToken();
        assertThat(refresh).isNotEmpty();
        TokenRequest again = new TokenRequest(Credentials.ANONYMOUS, refresh, "registry.local",
                List.of(Scope.parse("repository:a:pull")), false, "docker", "10.0.0.1", true);
        TokenResponse r = s.issue(again);
        assertThat(SignedJWT.parse(r.token()).getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(r.granted().get(0).actions()).containsExactly("pull");
    }

    @Test
    void issue_refreshTokenForOtherServiceOrExpired_isRefused() {
        TokenService s = service();
        String refresh = s.issue(new TokenRequest(new Credentials("alice", Secret.of("secret")), "", "registry.local",
                List.of(), true, "docker", "10.0.0.1", true)).refreshToken();
        assertThatThrownBy(() -> s.issue(new TokenRequest(Credentials.ANONYMOUS, refresh, "other", List.of(), false,
                "docker", "10.0.0.1", true))).isInstanceOf(AuthenticationFailedException.class);
        clock.advance(Duration.ofDays(31));
        assertThatThrownBy(() -> s.issue(new TokenRequest(Credentials.ANONYMOUS, refresh, "registry.local", List.of(),
                false, "docker", "10.0.0.1", true))).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void issue_accessTokenUsedAsRefreshToken_isRefused() {
        TokenService s = service();
        String access = s.issue(request("alice", "secret")).token();
        assertThatThrownBy(() -> s.issue(new TokenRequest(Credentials.ANONYMOUS, access, "registry.local", List.of(),
                false, "docker", "10.0.0.1", true))).isInstanceOf(AuthenticationFailedException.class);
    }
}
