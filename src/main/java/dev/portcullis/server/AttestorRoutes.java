package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.attest.AttestationStore;
import dev.portcullis.attest.AttestorKey;
import dev.portcullis.attest.PkixAlgorithm;
import dev.portcullis.attest.StoredAttestor;
import dev.portcullis.policy.PolicyService;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /api/v1/attestors} and {@code /api/v1/attestor-keys}: attestors and their keys, created,
 * listed, described, revoked and deleted. Every change is audited, naming the admin token, before it
 * is made; a change that is refused (an unknown attestor, one the policy requires) is refused first.
 */
final class AttestorRoutes implements HttpService {
    private static final String ATTESTORS = "/api/v1/attestors";
    private static final String KEYS = "/api/v1/attestor-keys";

    private final Supplier<AttestationStore> store;
    private final Supplier<PolicyService> policy;
    private final AdminApi api;

    /** The stores are looked up per request: the listener starts while they are still being opened. */
    AttestorRoutes(Supplier<AttestationStore> store, Supplier<PolicyService> policy, AdminApi api) {
        this.store = store;
        this.policy = policy;
        this.api = api;
    }

    @Override
    public void routing(HttpRules r) {
        r.post(ATTESTORS, api.guarded((req, res, who) -> {
            JsonNode b = RequestBody.jsonObject(req);
            String name = AdminApi.text(b, "name");
            // Binary Authorization's field for the Grafeas note the attestor is bound to.
            String noteReference = b.path("userOwnedGrafeasNote").path("noteReference").asText("");
            api.change(who, "attest", "attestor", "create:" + name, noteReference.isEmpty() ? "" : "note=" + noteReference, () -> {
                store.get().addAttestor(name, b.path("note").asText(""), noteReference);
                return null;
            });
            JsonAnswer.send(res, Status.CREATED_201, Map.of("name", name));
        }));
        r.get(ATTESTORS, api.guarded((req, res, who) -> JsonAnswer.send(res, Status.OK_200,
                Map.of("attestors", store.get().attestors().stream().map(AttestorRoutes::attestorJson).toList()))));
        // Attestor names hold slashes (projects/p/attestors/ci): the rest of the path is the name.
        r.get(ATTESTORS + "/{+name}", api.guarded((req, res, who) -> {
            String name = req.path().pathParameters().get("name");
            Optional<StoredAttestor> a = store.get().attestor(name);
            if (a.isEmpty()) {
                notFound(res, name);
                return;
            }
            JsonAnswer.send(res, Status.OK_200, attestorJson(a.get()));
        }));
        r.delete(ATTESTORS + "/{+name}", api.guarded((req, res, who) -> {
            String name = req.path().pathParameters().get("name");
            if (store.get().attestor(name).isEmpty()) {
                notFound(res, name);
                return;
            }
            if (policy.get().policies().current().attestors().contains(name)) {
                throw new BadInput("the policy in force requires attestor " + name + ": import a policy without it first");
            }
            api.change(who, "attest", "attestor", "delete:" + name, "", () -> {
                store.get().deleteAttestor(name);
                return null;
            });
            JsonAnswer.send(res, Status.OK_200, Map.of("deleted", name));
        }));
        r.get(KEYS, api.guarded((req, res, who) -> {
            String name = req.query().first("attestor").orElseThrow(() -> new BadInput("query parameter 'attestor' is required"));
            Optional<StoredAttestor> a = store.get().attestor(name);
            if (a.isEmpty()) {
                notFound(res, name);
                return;
            }
            JsonAnswer.send(res, Status.OK_200, Map.of("publicKeys", a.get().keys().stream().map(AttestorRoutes::keyJson).toList()));
        }));
        r.post(KEYS, api.guarded((req, res, who) -> {
            JsonNode b = RequestBody.jsonObject(req);
            String attestor = AdminApi.text(b, "attestor");
            String material;
            Optional<PkixAlgorithm> algorithm;
            Optional<String> givenId;
            String keyId;   // parsed here first, so that the record names the key before it is added
            if (b.hasNonNull("pgpPublicKey")) {
                material = AdminApi.text(b, "pgpPublicKey");
                algorithm = Optional.empty();
                givenId = Optional.empty();
                keyId = AttestorKey.Pgp.parse(material).id();
            } else {
                material = AdminApi.text(b, "pkixPublicKey");
                algorithm = Optional.of(PkixAlgorithm.parse(AdminApi.text(b, "signatureAlgorithm")));
                givenId = Optional.ofNullable(b.path("id").textValue());
                keyId = AttestorKey.Pkix.parse(material, algorithm.get(), givenId.orElse(null)).id();
            }
            String id = api.change(who, "attest", "attestor_key", "add:" + keyId, "attestor=" + attestor,
                    () -> store.get().addKey(attestor, material, algorithm, givenId));
            JsonAnswer.send(res, Status.CREATED_201, Map.of("id", id));
        }));
        r.post(KEYS + "/revoke", api.guarded((req, res, who) -> {
            JsonNode b = RequestBody.jsonObject(req);
            String attestor = AdminApi.text(b, "attestor");
            String id = AdminApi.text(b, "id");
            api.change(who, "attest", "attestor_key", "revoke:" + id, "attestor=" + attestor, () -> {
                store.get().revokeKey(attestor, id);
                return null;
            });
            JsonAnswer.send(res, Status.OK_200, Map.of("revoked", id));
        }));
    }

    private static void notFound(ServerResponse res, String name) {
        JsonAnswer.send(res, Status.NOT_FOUND_404, Map.of("error", "no attestor named " + name));
    }

    // Binary Authorization's Attestor, flattened: the keys beside the name rather than in a Grafeas note.
    private static Map<String, Object> attestorJson(StoredAttestor a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("note", a.note());
        if (!a.noteReference().isEmpty()) {
            m.put("userOwnedGrafeasNote", Map.of("noteReference", a.noteReference()));
        }
        m.put("createTime", a.createdAt().toString());
        m.put("publicKeys", a.keys().stream().map(AttestorRoutes::keyJson).toList());
        return m;
    }

    private static Map<String, Object> keyJson(StoredAttestor.Key k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        if (k.kind().equals("PGP")) {
            m.put("asciiArmoredPgpPublicKey", k.material());
        } else {
            m.put("pkixPublicKey", Map.of("publicKeyPem", k.material(), "signatureAlgorithm", k.algorithm()));
        }
        m.put("revokeTime", k.revoked() ? k.revokedAt().toString() : null);
        return m;
    }
}
