package dev.portcullis.registryauth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One ACL entry: match conditions (absent ones match anything) and the actions granted when they all
 * hold; an empty action list denies.
 */
record AclEntry(int index, String comment, Optional<AclPattern> account, Optional<AclPattern> type,
                Optional<AclPattern> name, Optional<AclPattern> service, Optional<IpMatch> ip,
                Map<String, AclPattern> labels, Set<String> actions, Set<String> labelPlaceholders) {
    private static final int MAX_COMBINATIONS = 64;

    String rule() {
        return "acl[" + index + "]" + (comment.isEmpty() ? "" : " \"" + comment + "\"");
    }

    /** Whether the entry matches; label placeholders are tried with each value the request carries. */
    boolean matches(AuthzRequest r) {
        if (ip.isPresent() && !ip.get().contains(r.ip())) {
            return false;
        }
        Map<String, String> vars = new HashMap<>();
        vars.put("account", r.account());
        vars.put("name", r.name());
        vars.put("service", r.service());
        vars.put("type", r.type());
        return tryLabels(List.copyOf(labelPlaceholders), 0, vars, r, new int[] {0});
    }

    private boolean tryLabels(List<String> keys, int i, Map<String, String> vars, AuthzRequest r, int[] tried) {
        if (i == keys.size()) {
            return ++tried[0] <= MAX_COMBINATIONS && matchFields(new HashMap<>(vars), r);
        }
        for (String value : r.labels().getOrDefault(keys.get(i), List.of())) {
            vars.put("labels:" + keys.get(i), value);
            if (tryLabels(keys, i + 1, vars, r, tried)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchFields(Map<String, String> vars, AuthzRequest r) {
        return field(account, "account", r.account(), vars)
                && field(type, "type", r.type(), vars)
                && field(name, "name", r.name(), vars)
                && field(service, "service", r.service(), vars)
                && labelsMatch(r, vars);
    }

    // Groups captured by a regex become ${field:N} for the conditions after it.
    private static boolean field(Optional<AclPattern> pattern, String field, String value, Map<String, String> vars) {
        if (pattern.isEmpty()) {
            return true;
        }
        Map<Integer, String> groups = new HashMap<>();
        if (!pattern.get().matches(value, vars, groups)) {
            return false;
        }
        groups.forEach((n, g) -> vars.put(field + ":" + n, g));
        return true;
    }

    private boolean labelsMatch(AuthzRequest r, Map<String, String> vars) {
        for (var e : labels.entrySet()) {
            boolean any = false;
            for (String v : r.labels().getOrDefault(e.getKey(), List.of())) {
                if (e.getValue().matches(v, vars, new HashMap<>())) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }
}
