package dev.portcullis.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.portcullis.config.StrictJson;
import dev.portcullis.registryauth.TokenResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

/** The body of a granted token request, as docker_auth and the OAuth2 form of the token spec write it. */
final class TokenAnswer {
    private static final JsonFactory JSON = StrictJson.mapper().getFactory();

    private TokenAnswer() {}

    static byte[] json(TokenResponse token, boolean oauth) {
        // The token is written twice (token and access_token, as docker_auth does); checking each of its
        // characters for escaping was a tenth of the request's cost. A JWS in compact form is BASE64URL
        // and dots only, characters JSON never escapes, so its bytes go out as they are.
        byte[] jws = jwsBytes(token.token());
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 * jws.length + 256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("token");
            g.writeRawUTF8String(jws, 0, jws.length);
            g.writeFieldName("access_token");
            g.writeRawUTF8String(jws, 0, jws.length);
            g.writeNumberField("expires_in", token.expiresInSeconds());
            g.writeStringField("issued_at", DateTimeFormatter.ISO_INSTANT.format(token.issuedAt()));
            if (!token.refreshToken().isEmpty()) {
                byte[] refresh = jwsBytes(token.refreshToken());
                g.writeFieldName("refresh_token");
                g.writeRawUTF8String(refresh, 0, refresh.length);
            }
            if (oauth) {
                g.writeStringField("token_type", "Bearer");
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token answer", e);
        }
        return out.toByteArray();
    }

    // No check per character: the token comes from the signer's compact serialization, whose three parts
    // are BASE64URL encoders' output joined by dots, and checking cost a fifth of writing the answer.
    private static byte[] jwsBytes(String jws) {
        return jws.getBytes(StandardCharsets.US_ASCII);
    }
}
