package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.image.RegistryException;
import dev.portcullis.image.RegistryThrottledException;
import dev.portcullis.image.RegistryUnavailableException;
import dev.portcullis.lineage.Lineage;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Image lineage over HTTP: {@code POST /registry/events} (the registry's notifications, with the shared
 * secret), {@code GET /lineage/v1/affected} and {@code /lineage/v1/tree} (an admin token), and the bans
 * at {@code /api/v1/lineage/bans}, each audited naming the admin token before it is made; a sync from a
 * registry ({@code /api/v1/lineage/sync}: its catalog page by page, a repository at a time).
 */
final class LineageRoutes implements HttpService {
    static final String BANS = "/api/v1/lineage/bans";
    static final String SYNC = "/api/v1/lineage/sync";

    private final Supplier<Lineage> lineage;
    private final AdminApi api;
    private final ClientAddress clientAddress;

    LineageRoutes(Supplier<Lineage> lineage, AdminApi api, ClientAddress clientAddress) {
        this.lineage = lineage;
        this.api = api;
        this.clientAddress = clientAddress;
    }

    @Override
    public void routing(HttpRules r) {
        r.post("/registry/events", (req, res) -> {
            Lineage l = lineage.get();
            if (!l.receivesEvents()) {
                JsonAnswer.send(res, Status.NOT_FOUND_404, Map.of("error", "registry notifications are off: set lineage.events_secret "
                        + "(PORTCULLIS_LINEAGE_EVENTS_SECRET)"));
                return;
            }
            if (!l.admits(req.headers().first(HeaderNames.create(l.eventsHeader())).orElse(null))) {
                l.refused(clientAddress.of(req), "events secret missing or wrong in " + l.eventsHeader());
                JsonAnswer.send(res, Status.UNAUTHORIZED_401, Map.of("error", "the notification does not carry the events secret"));
                return;
            }
            Lineage.Receipt receipt = l.receive(RequestBody.bytes(req), clientAddress.of(req));
            Map<String, Object> body = new LinkedHashMap<>(Map.of("applied", receipt.applied(), "duplicates", receipt.duplicates(),
                    "ignored", receipt.ignored(), "skipped", receipt.skipped()));
            if (!receipt.unavailable().isEmpty()) {
                // The registry sends the envelope again after its backoff; what was applied is then a repeat.
                body.put("error", receipt.unavailable());
                res.header(HeaderNames.RETRY_AFTER, "5");
                JsonAnswer.send(res, Status.SERVICE_UNAVAILABLE_503, body);
                return;
            }
            JsonAnswer.send(res, Status.OK_200, body);
        });
        r.get("/lineage/v1/affected", api.guarded((req, res, who) -> {
            String base = query(req, "base");
            List<String> roots = lineage.get().resolve(base);
            if (roots.isEmpty()) {
                JsonAnswer.send(res, Status.NOT_FOUND_404, Map.of("error", "image " + base + " is not known to lineage"));
                return;
            }
            JsonAnswer.send(res, Status.OK_200, Map.of("base", base, "roots", roots, "affected", lineage.get().affected(base)));
        }));
        r.get("/lineage/v1/tree", api.guarded((req, res, who) -> {
            String image = query(req, "image");
            List<List<Lineage.Step>> tree = lineage.get().tree(image);
            if (tree.isEmpty()) {
                JsonAnswer.send(res, Status.NOT_FOUND_404, Map.of("error", "image " + image + " is not known to lineage"));
                return;
            }
            JsonAnswer.send(res, Status.OK_200, Map.of("image", image, "platforms", tree));
        }));
        r.get(SYNC + "/catalog", api.guarded((req, res, who) -> registryCall(res, () -> {
            Lineage.Page p = lineage.get().catalog(query(req, "registry"), req.query().first("last").orElse(""));
            JsonAnswer.send(res, Status.OK_200, Map.of("repositories", p.repositories(), "next", p.next()));
        })));
        r.post(SYNC, api.guarded((req, res, who) -> registryCall(res, () -> {
            String repository = AdminApi.text(RequestBody.jsonObject(req), "repository");
            Lineage.Synced s = api.change(who, "lineage", "sync", repository, "", () -> lineage.get().sync(repository));
            JsonAnswer.send(res, Status.OK_200, Map.of("repository", s.repository(), "tags", s.tags(), "read", s.read(),
                    "skipped", s.skipped()));
        })));
        r.post(BANS, api.guarded((req, res, who) -> {
            JsonNode b = RequestBody.jsonObject(req);
            List<String> cves = new ArrayList<>();
            b.path("cves").forEach(c -> cves.add(c.asText()));
            Lineage.PreparedBan ban = lineage.get().prepareBan(b.path("image").asText(""), b.path("digest").asText(""),
                    b.path("repository").asText(""), b.path("versions").asText(""), AdminApi.text(b, "reason"), cves, who.name(),
                    expires(b));
            Lineage.BanView v = ban.view();
            api.change(who, "lineage", "ban", "create:" + v.id(), "target=" + v.target() + " reason=" + v.reason()
                    + (cves.isEmpty() ? "" : " cves=" + String.join(",", cves)), () -> {
                lineage.get().ban(ban);
                return null;
            });
            JsonAnswer.send(res, Status.CREATED_201, json(v));
        }));
        r.get(BANS, api.guarded((req, res, who) -> JsonAnswer.send(res, Status.OK_200,
                Map.of("bans", lineage.get().bans().stream().map(LineageRoutes::json).toList()))));
        r.delete(BANS + "/{id}", api.guarded((req, res, who) -> {
            String id = req.path().pathParameters().get("id");
            if (lineage.get().bans().stream().noneMatch(b -> b.id().equals(id))) {
                JsonAnswer.send(res, Status.NOT_FOUND_404, Map.of("error", "no ban in force has id " + id));
                return;
            }
            api.change(who, "lineage", "ban", "lift:" + id, "", () -> lineage.get().unban(id, who.name()));
            JsonAnswer.send(res, Status.OK_200, Map.of("lifted", id));
        }));
    }

    // What the registry answered, as the client may act on it: 503 to ask again later, 502 for a wrong answer.
    private static void registryCall(io.helidon.webserver.http.ServerResponse res, Runnable call) {
        try {
            call.run();
        } catch (RegistryUnavailableException | RegistryThrottledException e) {
            res.header(HeaderNames.RETRY_AFTER, "5");
            JsonAnswer.send(res, Status.SERVICE_UNAVAILABLE_503, Map.of("error", e.getMessage()));
        } catch (RegistryException e) {
            JsonAnswer.send(res, Status.BAD_GATEWAY_502, Map.of("error", e.getMessage()));
        }
    }

    private static String query(ServerRequest req, String name) {
        String v = req.query().first(name).orElse("");
        if (v.isBlank()) {
            throw new BadInput("query parameter '" + name + "' is required");
        }
        return v;
    }

    private static Optional<Instant> expires(JsonNode b) {
        if (!b.hasNonNull("expires")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(b.get("expires").asText()));
        } catch (DateTimeParseException e) {
            throw new BadInput("field 'expires' is an RFC 3339 time such as 2027-01-31T00:00:00Z");
        }
    }

    private static Map<String, Object> json(Lineage.BanView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("target", v.target());
        m.put("reason", v.reason());
        m.put("cves", v.cves());
        m.put("by", v.by());
        m.put("at", v.at().toString());
        m.put("expires", v.expires().map(Instant::toString).orElse(null));
        return m;
    }
}
