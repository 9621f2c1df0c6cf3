package dev.portcullis.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;

/**
 * The one way Portcullis reads JSON it is sent (admin API bodies, signed attestation payloads): a
 * duplicate key or anything after the value is refused. Parsers disagree on which of two equal keys
 * wins, so a body or a signed payload that one tool reads one way must not be read another way here.
 */
public final class StrictJson {
    // Buffers from one shared pool: Jackson's default keeps them per thread, and with a virtual thread per
    // connection that was 16 KB of buffers held by every open connection (160 MB at 10,000).
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // A number or a boolean where text is expected is the wrong type, not text: an image named
            // 3 is a mistake to name, as the Kubernetes API server names it, not an image "3" to judge.
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();
    private static final ObjectReader ONE_VALUE = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String DUPLICATE = "Duplicate field '";

    private StrictJson() {}

    /** The shared mapper, for converting what {@link #read} returned; its readers are as strict. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads exactly one JSON value; the error says what is wrong and where, never repeating the input. */
    public static JsonNode read(byte[] json) {
        try (JsonParser p = MAPPER.createParser(json)) {
            JsonNode value = ONE_VALUE.readTree(p);
            if (value == null || value.isMissingNode()) {
                throw new InvalidJsonException("no JSON value");
            }
            requireEnd(p);
            return value;
        } catch (JsonProcessingException e) {
            throw invalid(e);
        } catch (IOException e) {
            throw new InvalidJsonException("cannot be read: " + e.getMessage());
        }
    }

    /**
     * Reads exactly one JSON value straight into {@code type}, in one pass and as strictly as
     * {@link #read(byte[])}; a value of the wrong shape is a {@link WrongTypeException} naming where.
     */
    public static <T> T read(byte[] json, Class<T> type) {
        try (JsonParser p = MAPPER.createParser(json)) {
            if (p.nextToken() == null) {
                throw new InvalidJsonException("no JSON value");
            }
            T value = ONE_VALUE.readValue(p, type);
            requireEnd(p);
            return value;
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(java.util.stream.Collectors.joining(".")).replace(".[", "[");
            throw new WrongTypeException(field);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        } catch (IOException e) {
            throw new InvalidJsonException("cannot be read: " + e.getMessage());
        }
    }

    // The mapper's own trailing-token check would report "]" or a stray word as a syntax error; checking
    // here names it as what it is.
    private static void requireEnd(JsonParser p) throws IOException {
        JsonLocation end = p.currentLocation();
        try {
            if (p.nextToken() != null) {
                throw trailing(p.currentTokenLocation());
            }
        } catch (JsonProcessingException e) {
            throw trailing(end);
        }
    }

    private static InvalidJsonException invalid(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (m.startsWith(DUPLICATE) && m.indexOf('\'', DUPLICATE.length()) > 0) {
            return new InvalidJsonException("duplicate key '" + m.substring(DUPLICATE.length(), m.indexOf('\'', DUPLICATE.length()))
                    + "'" + at(e.getLocation()));
        }
        return new InvalidJsonException("not valid JSON" + at(e.getLocation()));
    }

    private static InvalidJsonException trailing(JsonLocation where) {
        return new InvalidJsonException("content after the JSON value" + at(where));
    }

    private static String at(JsonLocation where) {
        return where == null || where.getLineNr() < 1 ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    /** JSON that {@link #read} refuses; the message names the problem and its place. */
    public static class InvalidJsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidJsonException(String message) {
            super(message);
        }
    }

    /** Valid JSON with a value of the wrong shape for the type asked: {@link #path()} says where. */
    public static final class WrongTypeException extends InvalidJsonException {
        private static final long serialVersionUID = 1L;
        private final String path;

        WrongTypeException(String path) {
            super("a value of the wrong type" + (path.isEmpty() ? "" : " at " + path));
            this.path = path;
        }

        /** {@code request.kind}, {@code spec.containers[0]}; empty for the value itself. */
        public String path() {
            return path;
        }
    }
}
