package dev.portcullis.registryauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigSection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * docker_auth's {@code ext_authz}: the request as JSON on standard input ({@code Account, Type, Name,
 * Service, IP, Actions, Labels}); exit 0 grants the requested actions, 1 denies, anything else is an
 * error (the request fails closed).
 */
final class ExtAuthzAuthorizer implements Authorizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ExternalCommand command;

    private ExtAuthzAuthorizer(ExternalCommand command) {
        this.command = command;
    }

    public static ExtAuthzAuthorizer from(ConfigSection section) {
        return new ExtAuthzAuthorizer(ExternalCommand.from(section));
    }

    @Override
    public AuthzResult authorize(AuthzRequest request) {
        ExternalCommand.Outcome o = command.run(requestJson(request), "ext_authz");
        return switch (o.exitCode()) {
            case 0 -> new AuthzResult.Decided(request.actions(), "ext_authz " + command.command());
            case 1 -> new AuthzResult.Decided(Set.of(), "ext_authz " + command.command());
            default -> throw new AuthServiceException("ext_authz: " + command.command() + " exited " + o.exitCode());
        };
    }

    /** docker_auth's AuthRequestInfo field names, shared with {@code http_authz}. */
    static String requestJson(AuthzRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Account", r.account());
        m.put("Type", r.type());
        m.put("Name", r.name());
        m.put("Service", r.service());
        m.put("IP", r.ip());
        m.put("Actions", List.copyOf(r.actions()));
        m.put("Labels", r.labels());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the request", e);
        }
    }
}
