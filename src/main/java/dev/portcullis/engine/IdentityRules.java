package dev.portcullis.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one identity may do: the endpoints it may call, what a container it creates may ask for, and
 * whether it may act only on the containers it created (its owner label).
 *
 * @param binds          host paths (and everything below them) a container may bind-mount
 * @param capAdd         capabilities a container may add
 * @param ownerOnly      act only on containers labelled with this identity
 */
public record IdentityRules(String identity, List<EndpointPattern> endpoints, boolean privileged, boolean hostNamespaces,
                            boolean devices, boolean unconfined, List<String> binds, Set<String> capAdd, boolean ownerOnly) {
    public IdentityRules {
        endpoints = List.copyOf(endpoints);
        binds = List.copyOf(binds);
        capAdd = Set.copyOf(capAdd);
        for (String b : binds) {
            if (!b.startsWith("/") || b.contains("/../") || b.endsWith("/..") || b.contains("/./")) {
                throw new IllegalArgumentException("identities." + identity + ".binds: '" + b + "' is not an absolute, normalised path");
            }
        }
    }

    /** The rules of an identity the rules file does not name: read-only, its own containers only. */
    public static IdentityRules readOnly(String identity) {
        return new IdentityRules(identity, Presets.named("read-only").orElseThrow(), false, false, false, false, List.of(),
                Set.of(), true);
    }

    /** The same rules for another identity (a rules file's {@code default}). */
    IdentityRules forIdentity(String other) {
        return new IdentityRules(other, endpoints, privileged, hostNamespaces, devices, unconfined, binds, capAdd, ownerOnly);
    }

    /** The first endpoint rule that allows the request, if any. */
    public Optional<EndpointPattern> endpoint(String method, EnginePath path) {
        return endpoints.stream().filter(e -> e.matches(method, path)).findFirst();
    }

    /** Whether a host path may be bind-mounted: equal to, or below, an allowed path. */
    public boolean bindAllowed(String hostPath) {
        String p = hostPath.length() > 1 && hostPath.endsWith("/") ? hostPath.substring(0, hostPath.length() - 1) : hostPath;
        return binds.stream().anyMatch(b -> p.equals(b) || p.startsWith(b.endsWith("/") ? b : b + "/"));
    }
}
