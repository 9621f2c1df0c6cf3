package dev.portcullis.registryauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA JWS signatures of our own tokens in one form only: S at most half the curve order. For every
 * valid (R, S), (R, n - S) is valid too, so a verifier that took both would accept a second string
 * for every token we issued. Our signers write low S; the verifier refuses high S. (Attestations,
 * which other tools sign, are not checked here: openssl writes high S half of the time.)
 */
final class LowSEcdsa {
    private LowSEcdsa() {}

    /** {@code s}, or {@code n - s} when {@code s} is in the upper half of the order. */
    static BigInteger lowS(BigInteger s, BigInteger n) {
        return s.compareTo(n.shiftRight(1)) > 0 ? n.subtract(s) : s;
    }

    /** Verifies as Nimbus does, after refusing a high S or a signature of the wrong length. */
    static final class Verifier implements JWSVerifier {
        private final ECDSAVerifier verifier;
        private final BigInteger order;
        private final int half;

        Verifier(ECKey key) throws JOSEException {
            this.verifier = new ECDSAVerifier(key);
            this.order = key.getCurve().toECParameterSpec().getOrder();
            this.half = (order.bitLength() + 7) / 8;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            byte[] rs = signature.decode();
            if (rs.length != 2 * half) {
                return false;
            }
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, half, rs.length));
            if (!lowS(s, order).equals(s)) {
                return false;
            }
            return verifier.verify(header, signingInput, signature);
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return verifier.supportedJWSAlgorithms();
        }

        @Override
        public JCAContext getJCAContext() {
            return verifier.getJCAContext();
        }
    }

    /** Wraps an ECDSA signer whose S may be high (the JDK's, for ES384 and ES512) and writes S low. */
    static final class Signer implements JWSSigner {
        private final JWSSigner signer;
        private final BigInteger order;
        private final int half;

        Signer(JWSSigner signer, BigInteger order) {
            this.signer = signer;
            this.order = order;
            this.half = (order.bitLength() + 7) / 8;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            byte[] rs = signer.sign(header, signingInput).decode();
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, half, rs.length));
            BigIntegers.asUnsignedByteArray(lowS(s, order), rs, half, half);
            return Base64URL.encode(rs);
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return signer.supportedJWSAlgorithms();
        }

        @Override
        public JCAContext getJCAContext() {
            return signer.getJCAContext();
        }
    }
}
