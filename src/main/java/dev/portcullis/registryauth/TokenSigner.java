package dev.portcullis.registryauth;

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
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Signs access tokens as the distribution token spec describes them, and signs and checks refresh tokens. */
public final class TokenSigner {
    private static final String REFRESH_CLAIM = "portcullis_refresh";

    private final SigningKey key;
    private final TokenSettings settings;
    private final Clock clock;
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final JWSHeader accessHeader;
    private final JWSHeader refreshHeader;

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
        this.accessHeader = h.build();
        this.refreshHeader = new JWSHeader.Builder(key.algorithm()).type(new JOSEObjectType("refresh+jwt"))
                .keyID(key.keyId()).build();
    }

    /** An access token for {@code account} with the granted scopes, valid for the configured expiration. */
    public String accessToken(String account, String service, List<GrantedScope> granted, Instant issuedAt) {
        List<Map<String, Object>> access = new ArrayList<>(granted.size());
        for (GrantedScope g : granted) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", g.type());
            entry.put("name", g.name());
            entry.put("actions", List.copyOf(new java.util.TreeSet<>(g.actions())));
            access.add(entry);
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(account)
                .audience(service)
                .expirationTime(Date.from(issuedAt.plus(settings.expiration())))
                .notBeforeTime(Date.from(issuedAt.minusSeconds(1)))
                .issueTime(Date.from(issuedAt))
                .jwtID(newId())
                .claim("access", access)
                .build();
        return sign(accessHeader, claims);
    }

    /** A refresh token: no access of its own, only the right to ask for access tokens again as this account. */
    public String refreshToken(String account, String service, Map<String, List<String>> labels, Instant issuedAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(account)
                .audience(service)
                .expirationTime(Date.from(issuedAt.plus(settings.refreshExpiration())))
                .issueTime(Date.from(issuedAt))
                .jwtID(newId())
                .claim(REFRESH_CLAIM, true)
                .claim("labels", labels)
                .build();
        return sign(refreshHeader, claims);
    }

    /** Checks a refresh token (signature, issuer, audience, expiry); returns the account and its labels. */
    public RefreshGrant verifyRefreshToken(String token, String service) {
        try {
            if (token.length() > 16 * 1024) {
                throw new AuthenticationFailedException("refresh token is too long");
            }
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.getHeader().getAlgorithm().equals(key.algorithm()) || !jwt.verify(verifier)) {
                throw new AuthenticationFailedException("refresh token signature is not valid");
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!Boolean.TRUE.equals(c.getBooleanClaim(REFRESH_CLAIM))) {
                throw new AuthenticationFailedException("not a refresh token");
            }
            if (!settings.issuer().equals(c.getIssuer()) || c.getAudience() == null || !c.getAudience().contains(service)) {
                throw new AuthenticationFailedException("refresh token was issued for another issuer or service");
            }
            if (c.getExpirationTime() == null || !c.getExpirationTime().toInstant().isAfter(clock.instant())) {
                throw new AuthenticationFailedException("refresh token has expired");
            }
            Map<String, List<String>> labels = new LinkedHashMap<>();
            Map<String, Object> raw = c.getJSONObjectClaim("labels");
            if (raw != null) {
                raw.forEach((k, v) -> labels.put(k, v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of()));
            }
            return new RefreshGrant(c.getSubject() == null ? "" : c.getSubject(), labels);
        } catch (ParseException | JOSEException e) {
            throw new AuthenticationFailedException("refresh token is malformed");
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

    /** The account and labels a valid refresh token vouches for. */
    public record RefreshGrant(String account, Map<String, List<String>> labels) {}

    private String sign(JWSHeader header, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    // A token id must be unique, not secret: per-thread randomness avoids the lock a shared SecureRandom takes.
    private static String newId() {
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
