package dev.portcullis.registryauth;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.Secret;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Refresh tokens bound to the account they were issued for: its authenticator, a keyed fingerprint of
 * its credential and its epoch. Redeeming one asks the authenticators again, as a login would, and
 * refuses it when the account is gone, its credential changed or its refresh tokens were revoked.
 * Every issue, refusal, redemption and revocation is audited as action {@value #ACTION}.
 */
final class RefreshTokens {
    static final String ACTION = "refresh_token";

    private final List<Authenticator> authenticators;
    private final TokenSigner signer;
    private final RefreshEpochs epochs;
    private final AuditLog audit;
    private final Clock clock;
    private final SecretKeySpec fingerprintKey;

    /** The account a redeemed refresh token still stands for, with its labels as they are now. */
    record Holder(String account, String by, Map<String, List<String>> labels) {}

    RefreshTokens(List<Authenticator> authenticators, TokenSigner signer, RefreshEpochs epochs, AuditLog audit, Clock clock) {
        this.authenticators = List.copyOf(authenticators);
        this.signer = signer;
        this.epochs = epochs;
        this.audit = audit;
        this.clock = clock;
        this.fingerprintKey = fingerprintKey(signer.key().privateKey());
    }

    /** Checks the request's refresh token and the account it names; throws {@link AuthenticationFailedException}. */
    Holder redeem(TokenRequest request) {
        try {
            TokenSigner.RefreshGrant grant = signer.verifyRefreshToken(request.refreshToken(), request.service());
            Holder holder = recheck(grant);
            record(request, grant.account(), "redeem", "allow", holder.by() + " holds the account with the credential"
                    + " the refresh token was issued for", detail(request, grant.jti(), grant.epoch()));
            return holder;
        } catch (RefreshRefusedException e) {
            // Anyone can present forged or stale refresh tokens by the thousand: one client address's
            // repeats may be folded into one record with a count, as failed logins are.
            audit.recordRepeated(LoginThrottle.source(request.clientIp()), new AuditEvent(clock.instant(), "registryauth",
                    ACTION, e.account(), request.clientIp(), "redeem", "deny", e.rule(), "service=" + request.service()
                    + (e.jti().isEmpty() ? "" : " jti=" + e.jti())));
            throw new AuthenticationFailedException(e.clientMessage());
        }
    }

    /**
     * A refresh token for an account {@code by} just authenticated, or "" when {@code by} cannot re-check
     * the account without its password: then the client keeps logging in with it, as with docker_auth.
     */
    String issue(TokenRequest request, String account, String by, Instant now) {
        AccountState state = lookup(account);
        if (state instanceof AccountState.Present p && p.by().equals(by)) {
            long epoch = epochs.current(account);
            TokenSigner.RefreshGrant grant = new TokenSigner.RefreshGrant(account, TokenSigner.newId(), by,
                    fingerprint(account, by, p.credential()), epoch);
            String token = signer.refreshToken(grant, request.service(), now);
            record(request, account, "issue", "allow", "offline access: " + by + " can re-check the account at refresh",
                    detail(request, grant.jti(), epoch));
            return token;
        }
        String who = state instanceof AccountState.Unverifiable u ? u.by() : by;
        record(request, account, "issue", "deny", who + " cannot re-check the account without its password:"
                + " no refresh token", "service=" + request.service());
        return "";
    }

    /** Moves the account's epoch on, so every refresh token issued for it so far is refused; returns the new epoch. */
    long revoke(String account, String admin, String clientIp) {
        Credentials.checkUser(account);
        // The store first: a revocation whose audit record then fails is still in force (the safe side),
        // and the caller is told the record is missing.
        long epoch = epochs.bump(account, clock.instant());
        audit.record(new AuditEvent(clock.instant(), "registryauth", ACTION, admin, clientIp, "revoke:" + account,
                "allow", "admin API revoked the account's refresh tokens", "epoch=" + epoch));
        return epoch;
    }

    private Holder recheck(TokenSigner.RefreshGrant g) {
        AccountState state = lookup(g.account());
        String gone = "account gone from " + g.by();
        return switch (state) {
            case AccountState.Absent a -> throw refused(gone, g);
            case AccountState.Unverifiable u -> throw refused(gone + " (" + u.by() + " cannot vouch for it without a password)", g);
            case AccountState.Present p when !p.by().equals(g.by()) -> throw refused(gone + " (now in " + p.by() + ")", g);
            case AccountState.Present p -> {
                byte[] expected = fingerprint(g.account(), g.by(), p.credential()).getBytes(StandardCharsets.US_ASCII);
                if (!MessageDigest.isEqual(expected, g.credential().getBytes(StandardCharsets.US_ASCII))) {
                    throw refused("credential of the account changed since the refresh token was issued", g);
                }
                long current = epochs.current(g.account());
                if (g.epoch() < current) {
                    throw refused("refresh tokens of the account revoked (token epoch " + g.epoch() + ", account epoch "
                            + current + ")", g);
                }
                yield new Holder(g.account(), p.by(), p.labels());
            }
        };
    }

    // As a login: the first authenticator that holds (or may hold) the account decides.
    private AccountState lookup(String account) {
        for (Authenticator a : authenticators) {
            AccountState s = a.lookup(account);
            if (!(s instanceof AccountState.Absent)) {
                return s;
            }
        }
        return new AccountState.Absent();
    }

    private static RefreshRefusedException refused(String rule, TokenSigner.RefreshGrant g) {
        return new RefreshRefusedException(rule, RefreshRefusedException.LOG_IN_AGAIN, g.account(), g.jti());
    }

    private static String detail(TokenRequest request, String jti, long epoch) {
        return "service=" + request.service() + " jti=" + jti + " epoch=" + epoch;
    }

    private void record(TokenRequest request, String account, String object, String decision, String rule, String detail) {
        audit.record(new AuditEvent(clock.instant(), "registryauth", ACTION, account, request.clientIp(), object,
                decision, rule, detail));
    }

    /** HMAC-SHA256 over the account, its authenticator and its credential; tokens carry this, never the credential. */
    String fingerprint(String account, String by, Secret credential) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(fingerprintKey);
            mac.update(account.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(by.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] f = mac.doFinal(credential.reveal().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(f);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    // Derived from the signing key, so that every replica sharing the key computes the same fingerprint
    // and a new key (which voids the refresh tokens' signatures anyway) makes new fingerprints. The
    // private number, not the key's encoding: the same key read from PEM or freshly generated may encode
    // differently.
    private static SecretKeySpec fingerprintKey(PrivateKey key) {
        BigInteger secret = switch (key) {
            case ECPrivateKey ec -> ec.getS();
            case RSAPrivateKey rsa -> rsa.getPrivateExponent();
            default -> throw new IllegalStateException("token signing key must be EC or RSA, not " + key.getAlgorithm());
        };
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.toByteArray(), "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal("portcullis refresh token credential fingerprint v1"
                    .getBytes(StandardCharsets.US_ASCII)), "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
