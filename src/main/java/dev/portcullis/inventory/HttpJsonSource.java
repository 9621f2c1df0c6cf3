package dev.portcullis.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.config.StrictJson;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A generic HTTP JSON source: a GET of {@code url} (a bearer token read from a file at each refresh,
 * so a rotated one is used), the array at a JSON Pointer, each element an address or CIDR string or
 * an object whose {@code field} holds one (or an array of them). An ETag is sent back as
 * If-None-Match, and a 304 keeps the members.
 */
public final class HttpJsonSource implements Source {
    private final SourceSettings.Http settings;
    private final HttpClient client;
    private String etag;

    public HttpJsonSource(SourceSettings.Http settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public Optional<List<Cidr>> fetch(Pacer pacer) {
        HttpRequest.Builder req = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout()).header("Accept", "application/json");
        settings.tokenFile().ifPresent(f -> req.header("Authorization", "Bearer " + SourceHttp.token(f)));
        if (etag != null) {
            req.header("If-None-Match", etag);
        }
        HttpResponse<byte[]> res = SourceHttp.send(client, req.build(), pacer, settings.url().getHost());
        if (res.statusCode() == 304) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = StrictJson.read(res.body());
        } catch (RuntimeException e) {
            throw new SourceException(settings.url().getHost() + " answered with JSON we cannot read: " + e.getMessage());
        }
        JsonNode list = settings.pointer().isEmpty() ? root : root.at(settings.pointer());
        if (!list.isArray()) {
            throw new SourceException(settings.url().getHost() + " answered without an array at '" + settings.pointer() + "'");
        }
        List<Cidr> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            JsonNode value = e.isObject() ? e.get(settings.field()) : e;
            if (value != null && value.isArray()) {
                for (JsonNode v : value) {
                    out.add(entry(v, i));
                }
            } else if (value != null && !value.isNull()) {
                out.add(entry(value, i));
            }
        }
        etag = res.headers().firstValue("ETag").orElse(null);
        return Optional.of(out);
    }

    private Cidr entry(JsonNode v, int i) {
        if (!v.isTextual()) {
            throw new SourceException("element " + i + " of the answer is not an address string");
        }
        try {
            return Cidr.parse(v.asText());
        } catch (InventoryException e) {
            throw new SourceException("element " + i + " of the answer: " + e.getMessage());
        }
    }
}
