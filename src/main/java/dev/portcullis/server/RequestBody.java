package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.StrictJson;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one reader of request bodies: at most the listener's limit ({@link ListenerLimits#MAX_BODY}), so
 * that no route accepts less or more than the listener lets through; JSON read by {@link StrictJson}.
 */
final class RequestBody {
    private RequestBody() {}

    /** The body, whole; over the limit a {@link TooLarge} (413). */
    static byte[] bytes(ServerRequest req) {
        return bytes(req, ListenerLimits.MAX_BODY);
    }

    static byte[] bytes(ServerRequest req, long limit) {
        int max = (int) Math.min(limit, Integer.MAX_VALUE - 8);
        try (InputStream in = req.content().inputStream()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw new TooLarge(max);
            }
            return b;
        } catch (IOException e) {
            throw new BadInput("cannot read the body");
        }
    }

    /** The body as one JSON object; anything else a {@link BadInput}. */
    static JsonNode jsonObject(ServerRequest req) {
        JsonNode n;
        try {
            n = StrictJson.read(bytes(req));
        } catch (StrictJson.InvalidJsonException e) {
            throw new BadInput("the body is not one JSON object: " + e.getMessage());
        }
        if (!n.isObject()) {
            throw new BadInput("the body must be a JSON object");
        }
        return n;
    }

    /** A body over the limit; answered 413 naming it. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("the body is larger than the limit of " + limit + " bytes (" + (limit >> 20) + " MiB)", null, false, false);
        }
    }
}
