package dev.portcullis.attest;

import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * The PKIX signature algorithms Binary Authorization accepts, by their Cloud KMS names. RSA-PSS uses
 * MGF1 with the same digest and a salt as long as the digest, as Cloud KMS signs.
 */
public enum PkixAlgorithm {
    RSA_PSS_2048_SHA256("RSA", 2048, "SHA-256", true),
    RSA_PSS_3072_SHA256("RSA", 3072, "SHA-256", true),
    RSA_PSS_4096_SHA256("RSA", 4096, "SHA-256", true),
    RSA_PSS_4096_SHA512("RSA", 4096, "SHA-512", true),
    RSA_SIGN_PKCS1_2048_SHA256("RSA", 2048, "SHA-256", false),
    RSA_SIGN_PKCS1_3072_SHA256("RSA", 3072, "SHA-256", false),
    RSA_SIGN_PKCS1_4096_SHA256("RSA", 4096, "SHA-256", false),
    RSA_SIGN_PKCS1_4096_SHA512("RSA", 4096, "SHA-512", false),
    ECDSA_P256_SHA256("EC", 256, "SHA-256", false),
    ECDSA_P384_SHA384("EC", 384, "SHA-384", false),
    ECDSA_P521_SHA512("EC", 521, "SHA-512", false);

    private final String keyType;
    private final int bits;
    private final String digest;
    private final boolean pss;

    PkixAlgorithm(String keyType, int bits, String digest, boolean pss) {
        this.keyType = keyType;
        this.bits = bits;
        this.digest = digest;
        this.pss = pss;
    }

    /**
     * The algorithm by any of the names Google's tools use for it: the API's ({@code ECDSA_P256_SHA256}),
     * gcloud's flag values ({@code ecdsa-p256-sha256}) and Cloud KMS's ({@code EC_SIGN_P256_SHA256},
     * {@code RSA_SIGN_PSS_2048_SHA256}).
     */
    public static PkixAlgorithm parse(String name) {
        String canonical = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_')
                .replaceFirst("^EC_SIGN_", "ECDSA_").replaceFirst("^RSA_SIGN_PSS_", "RSA_PSS_");
        try {
            return valueOf(canonical);
        } catch (IllegalArgumentException e) {
            throw new AttestationRejectedException(Reason.MALFORMED_KEY, "unknown signature algorithm '" + name
                    + "' (one of " + java.util.Arrays.toString(values()) + ")");
        }
    }

    /** Refuses a key of the wrong type or size for this algorithm. */
    void checkKey(PublicKey key) {
        int size = key instanceof RSAPublicKey r ? r.getModulus().bitLength()
                : key instanceof ECPublicKey e ? e.getParams().getCurve().getField().getFieldSize() : -1;
        if (!key.getAlgorithm().equals(keyType) || size != bits) {
            throw new AttestationRejectedException(Reason.MALFORMED_KEY, name() + " needs a " + keyType + " " + bits
                    + "-bit key, not " + key.getAlgorithm() + " " + size + "-bit");
        }
    }

    /** Whether {@code signature} is this algorithm's signature by {@code key} over {@code payload}. */
    boolean verify(PublicKey key, byte[] payload, byte[] signature) {
        if (key instanceof ECPublicKey ec && keyType.equals("EC")) {
            return EcdsaVerification.verify(ec, bits, digest, payload, signature);
        }
        Signature s = verifier(key);
        try {
            s.update(payload);
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

    private Signature verifier(PublicKey key) {
        Signature s = instance();
        try {
            s.initVerify(key);
            return s;
        } catch (java.security.InvalidKeyException e) {
            throw new AttestationRejectedException(Reason.MALFORMED_KEY, "cannot verify " + name() + ": " + e.getMessage());
        }
    }

    /** Signs {@code payload} with {@code key} as Cloud KMS would for this algorithm. */
    public byte[] sign(java.security.PrivateKey key, byte[] payload) {
        Signature s = instance();
        try {
            s.initSign(key);
            s.update(payload);
            return s.sign();
        } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
            throw new AttestationRejectedException(Reason.MALFORMED_KEY, "cannot sign with " + name() + ": " + e.getMessage());
        }
    }

    private Signature instance() {
        try {
            String d = digest.replace("-", "");
            Signature s;
            if (pss) {
                s = Signature.getInstance("RSASSA-PSS");
                int salt = digest.equals("SHA-512") ? 64 : 32;
                s.setParameter(new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest), salt, 1));
            } else {
                s = Signature.getInstance(d + "with" + (keyType.equals("EC") ? "ECDSA" : "RSA"));
            }
            return s;
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new AttestationRejectedException(Reason.MALFORMED_KEY, "the JDK cannot do " + name() + ": " + e.getMessage());
        }
    }
}
