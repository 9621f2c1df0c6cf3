package dev.portcullis.registryauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.config.Secret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker_auth's {@code ext_auth}: the program reads "USER PASSWORD" on standard input; exit 0
 * authenticates (standard output may carry {@code {"labels": {...}}}), 1 refuses, 2 does not know the
 * account, anything else is an error.
 */
final class ExtAuthAuthenticator implements Authenticator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ExternalCommand command;

    private ExtAuthAuthenticator(ExternalCommand command) {
        this.command = command;
    }

    public static ExtAuthAuthenticator from(ConfigSection section) {
        return new ExtAuthAuthenticator(ExternalCommand.from(section));
    }

    @Override
    public AuthnResult authenticate(String account, Secret password) {
        ExternalCommand.Outcome o = command.run(account + " " + password.reveal(), "ext_auth");
        return switch (o.exitCode()) {
            case 0 -> new AuthnResult.Authenticated(labels(o.stdout()), "ext_auth");
            case 1 -> new AuthnResult.Rejected("ext_auth");
            case 2 -> new AuthnResult.NoMatch();
            default -> throw new AuthServiceException("ext_auth: " + command.command() + " exited " + o.exitCode());
        };
    }

    /** docker_auth's protocol has no question "does this account exist?": only the password tells. */
    @Override
    public AccountState lookup(String account) {
        return new AccountState.Unverifiable("ext_auth");
    }

    static Map<String, List<String>> labels(String stdout) {
        if (stdout.isBlank()) {
            return Map.of();
        }
        try {
            JsonNode labels = JSON.readTree(stdout).path("labels");
            Map<String, List<String>> out = new LinkedHashMap<>();
            labels.fields().forEachRemaining(e -> {
                List<String> values = new ArrayList<>();
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(e.getValue().asText());
                }
                out.put(e.getKey(), values);
            });
            return out;
        } catch (IOException e) {
            throw new AuthServiceException("ext_auth: standard output is not the JSON {\"labels\": {...}}");
        }
    }
}
