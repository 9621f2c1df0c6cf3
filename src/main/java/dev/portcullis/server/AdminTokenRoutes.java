package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.admin.AdminTokens;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /api/v1/admin-tokens}: named admin tokens, made and revoked by any admin token; each change
 * is audited (never with the token) before it is made.
 */
final class AdminTokenRoutes implements HttpService {
    private static final String PREFIX = "/api/v1/admin-tokens";

    private final Supplier<AdminTokens> tokens;
    private final AdminApi api;

    AdminTokenRoutes(Supplier<AdminTokens> tokens, AdminApi api) {
        this.tokens = tokens;
        this.api = api;
    }

    @Override
    public void routing(HttpRules r) {
        r.post(PREFIX, api.guarded((req, res, who) -> {
            String name = AdminApi.text(RequestBody.jsonObject(req), "name");
            tokens.get().checkNew(name);   // refused before anything is recorded
            String token = api.change(who, "admin", "admin_token", "create:" + name, "",
                    () -> tokens.get().create(name, who.name()));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("token", token);   // shown this once; the store keeps a hash
            JsonAnswer.send(res, Status.CREATED_201, body);
        }));
        r.get(PREFIX, api.guarded((req, res, who) -> {
            List<Map<String, Object>> list = tokens.get().list().stream().map(t -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", t.name());
                m.put("createdBy", t.createdBy());
                m.put("createTime", t.createdAt().toString());
                m.put("revokeTime", t.revokedAt() == null ? null : t.revokedAt().toString());
                return m;
            }).toList();
            JsonAnswer.send(res, Status.OK_200, Map.of("tokens", list));
        }));
        r.post(PREFIX + "/revoke", api.guarded((req, res, who) -> {
            JsonNode b = RequestBody.jsonObject(req);
            String name = AdminApi.text(b, "name");
            tokens.get().requireInForce(name);   // refused before anything is recorded
            api.change(who, "admin", "admin_token", "revoke:" + name, "", () -> {
                tokens.get().revoke(name);
                return null;
            });
            JsonAnswer.send(res, Status.OK_200, Map.of("revoked", name));
        }));
    }
}
