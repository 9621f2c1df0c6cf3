package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bouncy Castle's ECDSA verification against the JDK's, signature by signature, mutation by mutation. */
class EcdsaVerificationTest {
    private static final byte[] PAYLOAD = "{\"critical\":{\"type\":\"Google cloud binauthz container signature\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private static KeyPair keys(PkixAlgorithm algorithm) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        String curve = switch (algorithm) {
            case ECDSA_P256_SHA256 -> "secp256r1";
            case ECDSA_P384_SHA384 -> "secp384r1";
            default -> "secp521r1";
        };
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static boolean jdk(PkixAlgorithm algorithm, KeyPair kp, byte[] payload, byte[] sig) throws Exception {
        Signature v = Signature.getInstance(switch (algorithm) {
            case ECDSA_P256_SHA256 -> "SHA256withECDSA";
            case ECDSA_P384_SHA384 -> "SHA384withECDSA";
            default -> "SHA512withECDSA";
        });
        v.initVerify(kp.getPublic());
        v.update(payload);
        try {
            return v.verify(sig);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(value = PkixAlgorithm.class, names = "ECDSA_.*", mode = EnumSource.Mode.MATCH_ALL)
    void verify_signaturesTheJdkMade_acceptedOverTheirPayloadOnly(PkixAlgorithm algorithm) throws Exception {
        KeyPair kp = keys(algorithm);
        KeyPair other = keys(algorithm);
        for (int i = 0; i < 50; i++) {
            byte[] payload = Arrays.copyOf(PAYLOAD, PAYLOAD.length + i);
            byte[] sig = algorithm.sign(kp.getPrivate(), payload);
            assertThat(algorithm.verify(kp.getPublic(), payload, sig)).isTrue();
            assertThat(algorithm.verify(other.getPublic(), payload, sig)).isFalse();
            byte[] changed = payload.clone();
            changed[i % payload.length] ^= 1;
            assertThat(algorithm.verify(kp.getPublic(), changed, sig)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = PkixAlgorithm.class, names = "ECDSA_.*", mode = EnumSource.Mode.MATCH_ALL)
    void verify_mutatedSignatures_agreeWithTheJdkEveryTime(PkixAlgorithm algorithm) throws Exception {
        KeyPair kp = keys(algorithm);
        byte[] sig = algorithm.sign(kp.getPrivate(), PAYLOAD);
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] m = mutate(sig, random);
            assertThat(algorithm.verify(kp.getPublic(), PAYLOAD, m))
                    .as("signature %s", HexFormat.of().formatHex(m))
                    .isEqualTo(jdk(algorithm, kp, PAYLOAD, m));
        }
    }

    // Bit flips, truncation, trailing bytes, a long-form length, a padded integer: what a forger tries.
    private static byte[] mutate(byte[] sig, Random random) {
        byte[] m = sig.clone();
        switch (random.nextInt(6)) {
            case 0 -> m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> m = Arrays.copyOf(m, random.nextInt(m.length));
            case 2 -> m = Arrays.copyOf(m, m.length + 1 + random.nextInt(3));
            case 3 -> {
                if (m[1] >= 0) {   // short-form length rewritten in long form: BER, not DER
                    byte[] l = new byte[m.length + 1];
                    l[0] = m[0];
                    l[1] = (byte) 0x81;
                    System.arraycopy(m, 1, l, 2, m.length - 1);
                    m = l;
                }
            }
            case 4 -> m = BigInteger.ONE.negate().toByteArray();
            default -> { }   // unchanged: must still verify
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(value = PkixAlgorithm.class, names = "ECDSA_.*", mode = EnumSource.Mode.MATCH_ALL)
    void verify_highS_isAcceptedAsTheJdkDoes(PkixAlgorithm algorithm) throws Exception {
        // (r, n - s) is the other valid signature of the same message; the JDK accepts it, and so must we
        // (Binary Authorization's verifiers do), so the two never disagree on an attestation.
        KeyPair kp = keys(algorithm);
        byte[] sig = algorithm.sign(kp.getPrivate(), PAYLOAD);
        var seq = ASN1Sequence.getInstance(sig);
        BigInteger n = ((ECPublicKey) kp.getPublic()).getParams().getOrder();
        BigInteger r = ((ASN1Integer) seq.getObjectAt(0)).getValue();
        BigInteger s = ((ASN1Integer) seq.getObjectAt(1)).getValue();
        byte[] flipped = new DERSequence(new ASN1Encodable[] {
                new ASN1Integer(r), new ASN1Integer(n.subtract(s))}).getEncoded();
        assertThat(algorithm.verify(kp.getPublic(), PAYLOAD, flipped)).isEqualTo(jdk(algorithm, kp, PAYLOAD, flipped))
                .isTrue();
        byte[] zeroS = new DERSequence(new ASN1Encodable[] {
                new ASN1Integer(r), new ASN1Integer(n)}).getEncoded();
        assertThat(algorithm.verify(kp.getPublic(), PAYLOAD, zeroS)).isFalse();
    }
}
