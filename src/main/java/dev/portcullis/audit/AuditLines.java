package dev.portcullis.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** One audit entry as one JSON line of a segment file, and back. */
final class AuditLines {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper();

    private AuditLines() {}

    static byte[] encode(List<AuditFiles.Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (AuditFiles.Entry entry : entries) {
                AuditEvent e = entry.event();
                g.writeStartObject();
                g.writeNumberField("seq", entry.seq());
                g.writeStringField("time", e.time().toString());
                g.writeStringField("capability", e.capability());
                g.writeStringField("action", e.action());
                g.writeStringField("subject", e.subject());
                g.writeStringField("client_ip", e.clientIp());
                g.writeStringField("object", e.object());
                g.writeStringField("decision", e.decision());
                g.writeStringField("rule", e.rule());
                g.writeStringField("detail", e.detail());
                g.writeEndObject();
                g.flush();
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    static AuditFiles.Entry parse(Path file, long offset, String text) {
        long seq;
        AuditEvent e;
        try {
            JsonNode n = READER.readTree(text);
            seq = n.required("seq").asLong();
            e = new AuditEvent(Instant.parse(n.required("time").asText()), n.required("capability").asText(),
                    n.required("action").asText(), n.path("subject").asText(), n.path("client_ip").asText(),
                    n.path("object").asText(), n.required("decision").asText(), n.path("rule").asText(),
                    n.path("detail").asText());
        } catch (IOException | RuntimeException notAnEntry) {
            throw AuditFiles.corrupt(file, offset, "it is not an audit entry (" + notAnEntry.getMessage() + ")");
        }
        if (seq < 1) {
            throw AuditFiles.corrupt(file, offset, "its sequence number " + seq + " is not positive");
        }
        return new AuditFiles.Entry(seq, e);
    }
}
