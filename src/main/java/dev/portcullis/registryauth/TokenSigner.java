package dev.portcullis.registryauth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.config.StrictJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Signs access tokens as the distribution token spec describes them, and signs and checks refresh tokens. */
public final class TokenSigner {
    private static final String REFRESH_CLAIM = "portcullis_refresh";
    private static final String AUTHN_CLAIM = "authn";
    private static final String CREDENTIAL_CLAIM = "cred";
    private static final String EPOCH_CLAIM = "epoch";
    private static final JsonFactory JSON = StrictJson.mapper().getFactory();

    private final SigningKey key;
    private final TokenSettings settings;
    private final Clock clock;
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final JwsCompact access;
    private final JwsCompact refresh;

    public TokenSigner(SigningKey key, TokenSettings settings, Clock clock) {
        this.key = key;
        this.settings = settings;
        this.clock = clock;
        try {
            if (key.publicJwk() instanceof ECKey ec) {
                // Low S only, written and read: a refresh token has one valid signature, not two.
                this.signer = key.algorithm().equals(JWSAlgorithm.ES256)
                        ? new Es256Signer((java.security.interfaces.ECPrivateKey) key.privateKey())
                        : new LowSEcdsa.Signer(new ECDSASigner(key.privateKey(), ec.getCurve()),
                                ec.getCurve().toECParameterSpec().getOrder());
                this.verifier = new LowSEcdsa.Verifier(ec);
            } else {
                this.signer = new RSASSASigner(key.privateKey());
                this.verifier = new RSASSAVerifier((RSAKey) key.publicJwk());
            }
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot use the token signing key: " + e.getMessage(), e);
        }
        JWSHeader.Builder h = new JWSHeader.Builder(key.algorithm()).type(JOSEObjectType.JWT).keyID(key.keyId());
        if (settings.includeX5c()) {
            h.x509CertChain(encodeChain(key.chain()));
        }
        this.access = new JwsCompact(h.build(), signer);
        this.refresh = new JwsCompact(new JWSHeader.Builder(key.algorithm()).type(new JOSEObjectType("refresh+jwt"))
                .keyID(key.keyId()).build(), signer);
    }

    /**
     * An access token for {@code account} with the granted scopes, valid for the configured expiration;
     * {@code jti} is its id, from {@link #newId()}, drawn by the caller so its decisions can name it.
     */
    public String accessToken(String account, String service, List<GrantedScope> granted, Instant issuedAt, String jti) {
        // Written straight to bytes, in the claim order Nimbus' JWTClaimsSet used: the claims map and
        // its second JSON library cost as much as the rest of the request outside the signature.
        ByteArrayOutputStream json = new ByteArrayOutputStream(256 + 64 * granted.size());
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            g.writeStringField("iss", settings.issuer());
            g.writeStringField("sub", account);
            g.writeStringField("aud", service);
            g.writeNumberField("exp", issuedAt.plus(settings.expiration()).getEpochSecond());
            g.writeNumberField("nbf", issuedAt.getEpochSecond() - 1);
            g.writeNumberField("iat", issuedAt.getEpochSecond());
            g.writeStringField("jti", jti);
            g.writeArrayFieldStart("access");
            for (GrantedScope s : granted) {
                g.writeStartObject();
                g.writeStringField("type", s.type());
                g.writeStringField("name", s.name());
                g.writeArrayFieldStart("actions");
                for (String a : new TreeSet<>(s.actions())) {
                    g.writeString(a);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token's claims", e);
        }
        return access.sign(json.toByteArray());
    }

    /**
     * A refresh token: no access of its own, only the right to ask for access tokens again as this
     * account, for as long as its authenticator holds it with the same credential and its epoch stands.
     */
    String refreshToken(RefreshGrant grant, String service, Instant issuedAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(grant.account())
                .audience(service)
                .expirationTime(Date.from(issuedAt.plus(settings.refreshExpiration())))
                .issueTime(Date.from(issuedAt))
                .jwtID(grant.jti())
                .claim(REFRESH_CLAIM, true)
                .claim(AUTHN_CLAIM, grant.by())
                .claim(CREDENTIAL_CLAIM, grant.credential())
                .claim(EPOCH_CLAIM, grant.epoch())
                .build();
        return refresh.sign(claims.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks a refresh token (signature, issuer, audience, expiry) and returns what it was issued for;
     * whether that still holds is for the caller to check. Throws {@link RefreshRefusedException}.
     */
    RefreshGrant verifyRefreshToken(String token, String service) {
        SignedJWT jwt;
        try {
            if (token.length() > 16 * 1024) {
                throw RefreshRefusedException.early("refresh token is too long");
            }
            jwt = SignedJWT.parse(token);
            if (!jwt.getHeader().getAlgorithm().equals(key.algorithm()) || !jwt.verify(verifier)) {
                throw RefreshRefusedException.early("refresh token signature is not valid");
            }
        } catch (ParseException | JOSEException e) {
            throw RefreshRefusedException.early("refresh token is malformed");
        }
        // Signed by us: from here on its subject and id can be named in the audit log.
        JWTClaimsSet c;
        try {
            c = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw RefreshRefusedException.early("refresh token is malformed");
        }
        String account = c.getSubject() == null ? "" : c.getSubject();
        String jti = c.getJWTID() == null ? "" : c.getJWTID();
        try {
            if (!Boolean.TRUE.equals(c.getBooleanClaim(REFRESH_CLAIM))) {
                throw RefreshRefusedException.same("not a refresh token", account, jti);
            }
            if (!settings.issuer().equals(c.getIssuer()) || c.getAudience() == null || !c.getAudience().contains(service)) {
                throw RefreshRefusedException.same("refresh token was issued for another issuer or service", account, jti);
            }
            if (c.getExpirationTime() == null || !c.getExpirationTime().toInstant().isAfter(clock.instant())) {
                throw RefreshRefusedException.same("refresh token has expired", account, jti);
            }
            String by = c.getStringClaim(AUTHN_CLAIM);
            String credential = c.getStringClaim(CREDENTIAL_CLAIM);
            Long epoch = c.getLongClaim(EPOCH_CLAIM);
            if (by == null || credential == null || epoch == null || jti.isEmpty()) {
                throw new RefreshRefusedException("refresh token was issued before refresh tokens named the account's "
                        + "credential and epoch", RefreshRefusedException.LOG_IN_AGAIN, account, jti);
            }
            return new RefreshGrant(account, jti, by, credential, epoch);
        } catch (ParseException e) {
            throw RefreshRefusedException.same("refresh token is malformed", account, jti);
        }
    }

    /** The public key set registry 3 (or anyone) can verify tokens with. */
    public Map<String, Object> jwks() {
        return Map.of("keys", List.of(key.publicJwk().toPublicJWK().toJSONObject()));
    }

    public SigningKey key() {
        return key;
    }

    /** How long an access token is valid. */
    public java.time.Duration expiration() {
        return settings.expiration();
    }

    /**
     * What a refresh token is issued for.
     *
     * @param by         the authenticator that holds the account ({@code users})
     * @param credential a keyed fingerprint of the account's credential when the token was issued
     * @param epoch      the account's refresh token epoch when the token was issued
     */
    record RefreshGrant(String account, String jti, String by, String credential, long epoch) {
        RefreshGrant {
            java.util.Objects.requireNonNull(account, "account");
            java.util.Objects.requireNonNull(jti, "jti");
            java.util.Objects.requireNonNull(by, "by");
            java.util.Objects.requireNonNull(credential, "credential");
        }

        @Override
        public String toString() {
            return "RefreshGrant[account=" + Text.printable(account) + ", jti=" + jti + ", by=" + by + ", epoch=" + epoch + "]";
        }
    }

    // A token id (32 hex digits) must be unique, not secret: per-thread randomness avoids the lock a
    // shared SecureRandom takes.
    static String newId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong());
    }

    private static List<Base64> encodeChain(List<X509Certificate> chain) {
        List<Base64> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            try {
                out.add(Base64.encode(c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode the token certificate", e);
            }
        }
        return out;
    }
}
