package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Algorithm names as Google's tools spell them. */
class PkixAlgorithmTest {
    @Test
    void parse_gcloudKmsAndApiNames_areTheSameAlgorithm() {
        assertThat(PkixAlgorithm.parse("ecdsa-p256-sha256")).isEqualTo(PkixAlgorithm.ECDSA_P256_SHA256);
        assertThat(PkixAlgorithm.parse("EC_SIGN_P384_SHA384")).isEqualTo(PkixAlgorithm.ECDSA_P384_SHA384);
        assertThat(PkixAlgorithm.parse("rsa-pss-2048-sha256")).isEqualTo(PkixAlgorithm.RSA_PSS_2048_SHA256);
        assertThat(PkixAlgorithm.parse("RSA_SIGN_PSS_4096_SHA512")).isEqualTo(PkixAlgorithm.RSA_PSS_4096_SHA512);
        assertThat(PkixAlgorithm.parse("rsa-sign-pkcs1-3072-sha256")).isEqualTo(PkixAlgorithm.RSA_SIGN_PKCS1_3072_SHA256);
        assertThat(PkixAlgorithm.parse(" ECDSA_P521_SHA512 ")).isEqualTo(PkixAlgorithm.ECDSA_P521_SHA512);
    }

    @Test
    void parse_unknownName_isRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> PkixAlgorithm.parse("ecdsa-p999-sha1")).isInstanceOfSatisfying(AttestationRejectedException.class,
                e -> assertThat(e.getMessage()).contains("unknown signature algorithm 'ecdsa-p999-sha1'", "ECDSA_P256_SHA256"));
    }
}
