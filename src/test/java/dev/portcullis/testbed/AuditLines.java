package dev.portcullis.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.AuditEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The audit log of a running {@code serve} on the embedded store, read as a log shipper reads it: the JSON lines in data_dir/audit. */
public final class AuditLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLines() {}

    /** Every event so far, oldest first. An answer comes only once its record is written, so no waiting is needed. */
    public static List<AuditEvent> read(Path dataDir) {
        List<AuditEvent> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDir.resolve("audit"))) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = JSON.readTree(line);
                    out.add(new AuditEvent(Instant.parse(n.get("time").asText()), n.get("capability").asText(),
                            n.get("action").asText(), n.get("subject").asText(), n.get("client_ip").asText(),
                            n.get("object").asText(), n.get("decision").asText(), n.get("rule").asText(),
                            n.get("detail").asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
