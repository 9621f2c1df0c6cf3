package dev.portcullis.registryauth;

import java.util.Objects;
import java.util.Set;

/** A scope as granted: the actions authorization allowed (possibly fewer than asked, possibly none). */
record GrantedScope(String type, String name, Set<String> actions) {
    public GrantedScope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        actions = Set.copyOf(actions);
    }
}
