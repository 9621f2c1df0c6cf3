package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.JdbcAuditLog;
import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.Secret;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refresh tokens against the configuration in force when they are redeemed: each "restart" builds
 * the token authority again from a docker_auth file, on the same key and store.
 */
class RefreshTokensTest {
    private static final String SECRET = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
    private static final String ACL = """
            acl:
              - match: {name: "${labels:team}/*"}
                actions: [pull]
                comment: team pulls
            """;

    @TempDir
    Path dataDir;

    private Database db;
    private JdbcAuditLog audit;
    private final dev.portcullis.testbed.MutableClock clock = new dev.portcullis.testbed.MutableClock(Instant.parse("2026-11-24T12:00:00Z"));

    @BeforeEach
    void open() {
        db = Database.open(StoreSettings.inMemory("refresh-" + System.nanoTime()));
        audit = new JdbcAuditLog(db);
    }

    @AfterEach
    void close() {
        audit.close();
        db.close();
    }

    private RegistryAuth start(String yaml) {
        return RegistryAuth.from(ConfigDocument.parse(yaml, "auth.yml", Map.of()).root(), dataDir, db, audit, clock);
    }

    private static String alice(String hash, String team) {
        return "users:\n  alice: {password: '" + hash + "', labels: {team: [" + team + "]}}\n  bob: {password: '" + SECRET + "'}\n";
    }

    private static TokenRequest offline(String user, String password) {
        return new TokenRequest(new Credentials(user, Secret.of(password)), "", "registry.local", List.of(), true,
                "docker", "10.0.0.1", true);
    }

    private static TokenRequest redeem(String refreshToken, String... scopes) {
        return new TokenRequest(Credentials.ANONYMOUS, refreshToken, "registry.local",
                java.util.Arrays.stream(scopes).map(Scope::parse).toList(), false, "docker", "10.0.0.1", true);
    }

    private AuditEvent lastRefreshEvent() {
        return audit.recent(50).stream().filter(e -> e.action().equals(RefreshTokens.ACTION)).findFirst().orElseThrow();
    }

    private void assertRefused(TokenService service, String refreshToken, String rule) throws Exception {
        assertThatThrownBy(() -> service.issue(redeem(refreshToken, "repository:red/app:pull")))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessage("refresh token is no longer valid; log in again");
        AuditEvent e = lastRefreshEvent();
        assertThat(e.object()).isEqualTo("redeem");
        assertThat(e.decision()).isEqualTo("deny");
        assertThat(e.rule()).isEqualTo(rule);
        assertThat(e.subject()).isEqualTo("alice");
        assertThat(e.detail()).isEqualTo("service=registry.local jti=" + SignedJWT.parse(refreshToken).getJWTClaimsSet().getJWTID());
    }

    @Test
    void issue_offlineLogin_bindsAKeyedFingerprintAndEpochButNeverTheHash() throws Exception {
        String refresh = start(alice(SECRET, "red") + ACL).service().issue(offline("alice", "secret")).refreshToken();

        JWTClaimsSet claims = SignedJWT.parse(refresh).getJWTClaimsSet();
        assertThat(claims.getStringClaim("authn")).isEqualTo("users");
        assertThat(claims.getStringClaim("cred")).matches("[A-Za-z0-9_-]{43}");
        assertThat(claims.getLongClaim("epoch")).isZero();
        assertThat(claims.toString()).doesNotContain(SECRET).doesNotContain(SECRET.substring(29)).doesNotContain("secret");
        AuditEvent e = lastRefreshEvent();
        assertThat(e.object()).isEqualTo("issue");
        assertThat(e.decision()).isEqualTo("allow");
        assertThat(e.detail()).isEqualTo("service=registry.local jti=" + claims.getJWTID() + " epoch=0");
    }

    @Test
    void redeem_sameConfigurationAfterRestart_isAllowedWithTheSameFingerprint() throws Exception {
        String refresh = start(alice(SECRET, "red") + ACL).service().issue(offline("alice", "secret")).refreshToken();

        TokenResponse r = start(alice(SECRET, "red") + ACL).service().issue(redeem(refresh, "repository:red/app:pull"));

        assertThat(r.granted().get(0).actions()).containsExactly("pull");
        assertThat(lastRefreshEvent().decision()).isEqualTo("allow");
    }

    @Test
    void redeem_accountRemoved_isRefusedAsGone() throws Exception {
        String refresh = start(alice(SECRET, "red") + ACL).service().issue(offline("alice", "secret")).refreshToken();

        TokenService later = start("users:\n  bob: {password: '" + SECRET + "'}\n" + ACL).service();

        assertRefused(later, refresh, "account gone from users");
    }

    @Test
    void redeem_accountMovedToExtAuth_isRefusedBecauseExtAuthCannotVouch() throws Exception {
        String refresh = start(alice(SECRET, "red") + ACL).service().issue(offline("alice", "secret")).refreshToken();

        TokenService later = start("ext_auth: {command: " + script("exit 0") + "}\n" + ACL).service();

        assertRefused(later, refresh, "account gone from users (ext_auth cannot vouch for it without a password)");
    }

    @Test
    void redeem_passwordChanged_isRefusedAsCredentialChanged() throws Exception {
        String refresh = start(alice(SECRET, "red") + ACL).service().issue(offline("alice", "secret")).refreshToken();

        String changed = OpenBSDBCrypt.generate("2y", "changed".toCharArray(), new byte[16], 4);
        TokenService later = start(alice(changed, "red") + ACL).service();

        assertRefused(later, refresh, "credential of the account changed since the refresh token was issued");
    }

    @Test
    void redeem_labelsChanged_authorizesWithTheLabelsInForceNow() throws Exception {
        String refresh = start(alice(SECRET, "red") + ACL).service().issue(offline("alice", "secret")).refreshToken();

        TokenResponse r = start(alice(SECRET, "blue") + ACL).service()
                .issue(redeem(refresh, "repository:red/app:pull", "repository:blue/app:pull"));

        assertThat(r.granted().get(0).actions()).isEmpty();
        assertThat(r.granted().get(1).actions()).containsExactly("pull");
    }

    @Test
    void redeem_afterRevoke_isRefusedOthersAndNewLoginsAreNot() throws Exception {
        TokenService s = start(alice(SECRET, "red") + ACL).service();
        String refresh = s.issue(offline("alice", "secret")).refreshToken();
        String bobs = s.issue(offline("bob", "secret")).refreshToken();

        assertThat(s.revokeRefreshTokens("alice", "admin", "127.0.0.1")).isEqualTo(1);

        assertRefused(s, refresh, "refresh tokens of the account revoked (token epoch 0, account epoch 1)");
        assertThat(s.issue(redeem(bobs)).token()).isNotEmpty();
        String fresh = s.issue(offline("alice", "secret")).refreshToken();
        assertThat(SignedJWT.parse(fresh).getJWTClaimsSet().getLongClaim("epoch")).isEqualTo(1);
        assertThat(s.issue(redeem(fresh)).token()).isNotEmpty();
        assertThat(RefreshEpochs.load(db).current("alice")).isEqualTo(1);
        assertRefused(start(alice(SECRET, "red") + ACL).service(), refresh,
                "refresh tokens of the account revoked (token epoch 0, account epoch 1)");
    }

    @Test
    void revoke_auditsTheAdminAsSubject() {
        TokenService s = start(alice(SECRET, "red") + ACL).service();
        s.revokeRefreshTokens("alice", "admin", "127.0.0.1");
        s.revokeRefreshTokens("alice", "admin", "127.0.0.1");

        AuditEvent e = lastRefreshEvent();
        assertThat(e.subject()).isEqualTo("admin");
        assertThat(e.object()).isEqualTo("revoke:alice");
        assertThat(e.detail()).isEqualTo("epoch=2");
        assertThatThrownBy(() -> s.revokeRefreshTokens("al\nice", "admin", "127.0.0.1"))
                .isInstanceOf(InvalidTokenRequestException.class);
    }

    @Test
    void issue_offlineLoginThroughExtAuth_answersWithoutRefreshTokenAndAuditsWhy() throws Exception {
        TokenService s = start("ext_auth: {command: " + script("exit 0") + "}\n" + ACL).service();

        TokenResponse r = s.issue(offline("carol", "pass"));

        assertThat(r.token()).isNotEmpty();
        assertThat(r.refreshToken()).isEmpty();
        AuditEvent e = lastRefreshEvent();
        assertThat(e.subject()).isEqualTo("carol");
        assertThat(e.object()).isEqualTo("issue");
        assertThat(e.decision()).isEqualTo("deny");
        assertThat(e.rule()).isEqualTo("ext_auth cannot re-check the account without its password: no refresh token");
    }

    @Test
    void redeem_tokenFromBeforeCredentialBinding_isRefused() throws Exception {
        RegistryAuth auth = start(alice(SECRET, "red") + ACL);
        Instant now = clock.instant();
        // The claims refresh tokens had before they named the credential and epoch, signed with the same key.
        JWTClaimsSet old = new JWTClaimsSet.Builder().issuer("portcullis").subject("alice").audience("registry.local")
                .expirationTime(Date.from(now.plus(Duration.ofDays(30)))).issueTime(Date.from(now)).jwtID("0123456789abcdef")
                .claim("portcullis_refresh", true).claim("labels", Map.of("team", List.of("red"))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(auth.signer().key().algorithm())
                .type(new JOSEObjectType("refresh+jwt")).keyID(auth.signer().key().keyId()).build(), old);
        // Low S, as our signer writes it: a high S would be refused for that reason before the claims are read.
        ECPrivateKey key = (ECPrivateKey) auth.signer().key().privateKey();
        jwt.sign(new LowSEcdsa.Signer(new ECDSASigner(key), key.getParams().getOrder()));

        assertRefused(auth.service(), jwt.serialize(),
                "refresh token was issued before refresh tokens named the account's credential and epoch");
    }

    @Test
    void redeem_forgedSignature_isRefusedWithoutNamingTheClaimedAccount() throws Exception {
        TokenService s = start(alice(SECRET, "red") + ACL).service();
        String refresh = s.issue(offline("alice", "secret")).refreshToken();
        String forged = refresh.substring(0, refresh.lastIndexOf('.') + 1) + "AAAA";

        assertThatThrownBy(() -> s.issue(redeem(forged))).isInstanceOf(AuthenticationFailedException.class)
                .hasMessage("refresh token signature is not valid");
        AuditEvent e = lastRefreshEvent();
        assertThat(e.subject()).isEmpty();
        assertThat(e.detail()).isEqualTo("service=registry.local");
    }

    @Test
    void issue_accessToken_auditsItsJtiWithTheScopeDecisions() throws Exception {
        TokenService s = start(alice(SECRET, "red") + ACL).service();

        TokenResponse r = s.issue(new TokenRequest(new Credentials("alice", Secret.of("secret")), "", "registry.local",
                List.of(Scope.parse("repository:red/a:pull"), Scope.parse("repository:red/b:pull")), false, "", "10.0.0.1", false));

        String jti = SignedJWT.parse(r.token()).getJWTClaimsSet().getJWTID();
        assertThat(audit.recent(1).get(0).detail()).isEqualTo("granted=repository:red/a:pull repository:red/b:pull jti=" + jti);
    }

    private String script(String body) throws Exception {
        Path p = dataDir.resolve("auth.sh");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p.toString();
    }
}
