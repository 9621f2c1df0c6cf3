package dev.portcullis.registryauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Objects;

/**
 * The token signing key with its certificate chain, its JWS algorithm (ES256/ES384/ES512 by curve,
 * RS256 for RSA) and its key id: the libtrust form registry 2.x looks up, or the RFC 7638
 * thumbprint registry 3 uses.
 */
record SigningKey(PrivateKey privateKey, List<X509Certificate> chain, JWSAlgorithm algorithm, String keyId,
                         JWK publicJwk) {

    public SigningKey {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a signing key needs its certificate");
        }
    }

    /** Pairs a private key with its certificate chain; {@code thumbprintKeyId} picks the registry-3 key id. */
    public static SigningKey of(PrivateKey privateKey, List<X509Certificate> chain, boolean thumbprintKeyId) {
        PublicKey pub = chain.get(0).getPublicKey();
        JWSAlgorithm alg;
        JWK jwk;
        try {
            if (pub instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (curve == null) {
                    throw new IllegalArgumentException("unsupported EC curve for token signing (P-256, P-384 or P-521)");
                }
                alg = curve.equals(Curve.P_256) ? JWSAlgorithm.ES256
                        : curve.equals(Curve.P_384) ? JWSAlgorithm.ES384 : JWSAlgorithm.ES512;
                jwk = new ECKey.Builder(curve, ec).keyUse(KeyUse.SIGNATURE).algorithm(alg).build();
            } else if (pub instanceof RSAPublicKey rsa) {
                if (rsa.getModulus().bitLength() < 2048) {
                    throw new IllegalArgumentException("RSA token signing keys must have at least 2048 bits");
                }
                alg = JWSAlgorithm.RS256;
                jwk = new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).algorithm(alg).build();
            } else {
                throw new IllegalArgumentException("token signing key must be EC or RSA, not " + pub.getAlgorithm());
            }
            String kid = thumbprintKeyId ? jwk.computeThumbprint().toString() : libtrustKeyId(pub);
            jwk = withKeyId(jwk, kid);
            return new SigningKey(privateKey, chain, alg, kid, jwk);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot compute the key id: " + e.getMessage(), e);
        }
    }

    /**
     * docker/libtrust's key id: SHA-256 of the DER SubjectPublicKeyInfo, first 240 bits, base32 without
     * padding, in twelve groups of four joined by ':'. Registry 2.x matches a token's {@code kid} with it.
     */
    public static String libtrustKeyId(PublicKey key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            byte[] first30 = java.util.Arrays.copyOf(hash, 30);
            String b32 = base32(first30);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < b32.length(); i += 4) {
                if (i > 0) {
                    out.append(':');
                }
                out.append(b32, i, Math.min(i + 4, b32.length()));
            }
            return out.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    // RFC 4648 base32; 30 bytes are 240 bits, exactly 48 characters, so no padding arises.
    private static String base32(byte[] bytes) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private static JWK withKeyId(JWK jwk, String kid) {
        if (jwk instanceof ECKey ec) {
            return new ECKey.Builder(ec).keyID(kid).build();
        }
        return new RSAKey.Builder((RSAKey) jwk).keyID(kid).build();
    }

    @Override
    public String toString() {
        return "SigningKey[" + algorithm + ", kid=" + keyId + "]";
    }
}
