package dev.portcullis.registryauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A JWS in compact serialization (RFC 7515 section 7.1) with its header encoded once: the header, the
 * certificate chain included, is the same for every token, and encoding it per token was a tenth of
 * a token's cost. The signature still comes from the Nimbus {@link JWSSigner}.
 */
final class JwsCompact {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final JWSHeader header;
    private final String encodedHeader;
    private final JWSSigner signer;

    JwsCompact(JWSHeader header, JWSSigner signer) {
        this.header = header;
        this.encodedHeader = header.toBase64URL().toString();
        this.signer = signer;
    }

    /** {@code header.payload.signature}, each BASE64URL without padding, for these payload bytes. */
    String sign(byte[] payload) {
        String input = encodedHeader + '.' + BASE64URL.encodeToString(payload);
        try {
            return input + '.' + signer.sign(header, input.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }
}
