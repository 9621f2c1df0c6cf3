package dev.portcullis.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.portcullis.config.StrictJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The guard's own answers, in the engine's error shape {@code {"message": ...}} that the docker CLI prints. */
final class Answers {
    private Answers() {}

    /** Answers the refusal and says the connection closes (nothing after it is read). */
    static void refuse(OutputStream out, Refusal r) throws IOException {
        byte[] body;
        try {
            body = (StrictJson.mapper().writeValueAsString(Map.of("message", "portcullis: " + r.getMessage())) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String head = "HTTP/1.1 " + r.kind().status() + " " + r.kind().reason() + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** The status code of a response head; {@link Refusal} when the status line is not one. */
    static int status(HttpHead response) {
        String[] parts = response.startLine().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
            throw new Refusal(Refusal.Kind.UPSTREAM, "the engine's answer does not start with a status line");
        }
        return Integer.parseInt(parts[1]);
    }
}
