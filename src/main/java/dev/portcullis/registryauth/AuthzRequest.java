package dev.portcullis.registryauth;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an authorizer is asked, as docker_auth's {@code AuthRequestInfo}: who (account, labels, client
 * address), for which resource ({@code type:name}) of which service, wanting which actions.
 *
 * @param ip the client address as text (IPv4 or IPv6, no port); empty when unknown
 */
record AuthzRequest(String account, String type, String name, String service, String ip,
                           Set<String> actions, Map<String, List<String>> labels) {
    public AuthzRequest {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(ip, "ip");
        actions = Set.copyOf(actions);
        labels = Map.copyOf(labels);
    }
}
