package dev.portcullis.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.portcullis.config.StrictJson;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every JSON answer of the listener, written with the one mapper {@link StrictJson} reads with. */
final class JsonAnswer {
    private static final ObjectWriter WRITER = StrictJson.mapper().writer();

    private JsonAnswer() {}

    static void send(ServerResponse res, Status status, Object body) {
        try {
            send(res, status, WRITER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    /** A body already written as JSON bytes. */
    static void send(ServerResponse res, Status status, byte[] json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    /** The registry's error body as bytes, for answers written outside the routes (Helidon's direct handlers). */
    static byte[] registryErrorBytes(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        try {
            return WRITER.writeValueAsBytes(Map.of("errors", List.of(error)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    /** The distribution registry's error body, with the OAuth2 fields when {@code oauthError} is given. */
    static void registryError(ServerResponse res, Status status, String code, String oauthError, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (oauthError != null) {
            body.put("error", oauthError);
            body.put("error_description", message);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        body.put("errors", List.of(error));
        send(res, status, body);
    }
}
