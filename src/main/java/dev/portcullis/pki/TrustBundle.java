package dev.portcullis.pki;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CA as a SPIFFE trust bundle: a JWK Set whose one key is the CA's public key with
 * {@code use: x509-svid} and the CA certificate as its only {@code x5c} entry (SPIFFE Trust Domain
 * and Bundle, section 4), and a {@code spiffe_sequence} that grows with each bundle written.
 */
public final class TrustBundle {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrustBundle() {}

    /** The JWK Set's JSON text. */
    public static String jwks(X509Certificate ca, long sequence) {
        if (!(ca.getPublicKey() instanceof ECPublicKey ec)) {
            throw new PkiException("the trust bundle is written for an EC CA key, not " + ca.getPublicKey().getAlgorithm());
        }
        int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("kty", "EC");
        key.put("crv", "P-256");
        key.put("x", coordinate(ec.getW().getAffineX(), size));
        key.put("y", coordinate(ec.getW().getAffineY(), size));
        key.put("use", "x509-svid");
        try {
            key.put("x5c", List.of(Base64.getEncoder().encodeToString(ca.getEncoded())));
        } catch (CertificateEncodingException e) {
            throw new PkiException("cannot encode the CA certificate: " + e.getMessage(), e);
        }
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("keys", List.of(key));
        set.put("spiffe_sequence", sequence);
        try {
            return JSON.writeValueAsString(set) + "\n";
        } catch (JsonProcessingException e) {
            throw new PkiException("cannot write the trust bundle: " + e.getMessage(), e);
        }
    }

    // A JWK coordinate is the big-endian value padded to the field's size, base64url without padding (RFC 7518 6.2.1.2).
    private static String coordinate(BigInteger v, int size) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(raw.length, size);
        System.arraycopy(raw, raw.length - copy, out, size - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
