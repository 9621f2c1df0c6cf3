package dev.portcullis.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.StrictJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The guard's own questions to the engine, on the client's engine connection between its requests. */
final class EngineQuestions implements Ownership.Lookup {
    private static final int MAX_ANSWER = 4 * 1024 * 1024;

    /** The connection to ask on (opened if needed). */
    @FunctionalInterface
    interface Connections {
        Upstream.Connection get() throws IOException;
    }

    private final Connections connections;
    private final Runnable drop;

    EngineQuestions(Connections connections, Runnable drop) {
        this.connections = connections;
        this.drop = drop;
    }

    @Override
    public Ownership.Owner owner(EnginePath request, Ownership.Target target) throws IOException {
        String id = EnginePath.encode(target.id());
        if (target.exec()) {
            Optional<JsonNode> exec = get(request.sameVersion("/exec/" + id + "/json"));
            if (exec.isEmpty()) {
                return new Ownership.Owner.Missing();
            }
            String container = exec.get().path("ContainerID").asText("");
            if (container.isEmpty()) {
                return new Ownership.Owner.Labelled(Optional.empty());
            }
            id = EnginePath.encode(container);
        }
        Optional<JsonNode> c = get(request.sameVersion("/containers/" + id + "/json"));
        if (c.isEmpty()) {
            return new Ownership.Owner.Missing();
        }
        JsonNode owner = c.get().path("Config").path("Labels").path(CreateCheck.OWNER_LABEL);
        return new Ownership.Owner.Labelled(owner.isTextual() ? Optional.of(owner.asText()) : Optional.empty());
    }

    // The JSON of a GET, empty on 404; once more on a new connection when the idle one was closed.
    private Optional<JsonNode> get(String target) throws IOException {
        try {
            return ask(target);
        } catch (IOException e) {
            drop.run();
            return ask(target);
        }
    }

    private Optional<JsonNode> ask(String target) throws IOException {
        Upstream.Connection c = connections.get();
        c.out.write(("GET " + target + " HTTP/1.1\r\nHost: engine\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        c.out.flush();
        HttpHead head = HttpHead.read(c.in).orElseThrow(() -> new IOException("the engine closed the connection"));
        int status = Answers.status(head);
        byte[] body = Bodies.readWhole(Framing.ofResponse(head, status, "GET"), c.in, MAX_ANSWER);
        if (head.lists("Connection", "close")) {
            drop.run();
        }
        if (status == 404) {
            return Optional.empty();
        }
        if (status != 200) {
            throw new Refusal(Refusal.Kind.UPSTREAM, "the engine answered " + status + " when asked who owns " + target);
        }
        try {
            return Optional.of(StrictJson.read(body));
        } catch (StrictJson.InvalidJsonException e) {
            throw new Refusal(Refusal.Kind.UPSTREAM, "the engine's answer about " + target + " is not JSON");
        }
    }
}
