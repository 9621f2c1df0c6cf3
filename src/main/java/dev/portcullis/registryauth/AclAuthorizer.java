package dev.portcullis.registryauth;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.inventory.Inventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker_auth's static ACL: entries tried in order, the first whose conditions all match decides
 * ({@code ["*"]} grants whatever was asked, {@code []} denies); no match leaves the decision to the next
 * authorizer, and in the end denies.
 */
final class AclAuthorizer implements Authorizer {
    private static final Set<String> ENTRY_KEYS = Set.of("match", "actions", "comment");
    private static final Set<String> MATCH_KEYS = Set.of("account", "type", "name", "service", "ip", "labels");
    private static final Pattern LABEL_VAR = Pattern.compile("\\$\\{labels:([A-Za-z0-9_.-]+)}");

    private final List<AclEntry> entries;

    private AclAuthorizer(List<AclEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads the {@code acl} list; a bad entry stops the start with its file, line and index. */
    public static AclAuthorizer from(List<ConfigSection> entries) {
        return from(entries, Inventory.none());
    }

    /** Reads the {@code acl} list, whose {@code ip: "@inventory:NAME"} conditions name sets of {@code inventory}. */
    public static AclAuthorizer from(List<ConfigSection> entries, Inventory inventory) {
        List<AclEntry> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            out.add(entry(i, entries.get(i), inventory));
        }
        return new AclAuthorizer(out);
    }

    private static AclEntry entry(int index, ConfigSection e, Inventory inventory) {
        e.rejectUnknown(ENTRY_KEYS);
        if (!e.has("actions")) {
            throw e.error("actions", "is required: [\"*\"] to allow everything asked, [] to deny");
        }
        Set<String> actions = new LinkedHashSet<>(e.stringList("actions"));
        ConfigSection m = e.section("match");
        m.rejectUnknown(MATCH_KEYS);
        Set<String> placeholders = new LinkedHashSet<>();
        Map<String, AclPattern> labels = new LinkedHashMap<>();
        for (String key : m.section("labels").keys()) {
            String p = m.section("labels").string(key).orElse("");
            labels.put(key, pattern(m.section("labels"), key, p, placeholders));
        }
        Optional<IpMatch> ip = m.string("ip").map(text -> {
            try {
                return IpMatch.parse(text, inventory);
            } catch (AclPatternException x) {
                throw m.error("ip", x.getMessage());
            }
        });
        return new AclEntry(index, e.string("comment", ""), optional(m, "account", placeholders),
                optional(m, "type", placeholders), optional(m, "name", placeholders),
                optional(m, "service", placeholders), ip, labels, actions, placeholders);
    }

    private static Optional<AclPattern> optional(ConfigSection m, String key, Set<String> placeholders) {
        return m.string(key).map(p -> pattern(m, key, p, placeholders));
    }

    private static AclPattern pattern(ConfigSection s, String key, String text, Set<String> placeholders) {
        try {
            Matcher lm = LABEL_VAR.matcher(text);
            while (lm.find()) {
                placeholders.add(lm.group(1));
            }
            return AclPattern.compile(text);
        } catch (AclPatternException e) {
            throw s.error(key, e.getMessage());
        }
    }

    @Override
    public AuthzResult authorize(AuthzRequest request) {
        for (AclEntry e : entries) {
            if (e.matches(request)) {
                return new AuthzResult.Decided(e.actions(), e.rule());
            }
        }
        return new AuthzResult.NoMatch();
    }

    /** The number of entries, for start-up messages. */
    public int size() {
        return entries.size();
    }

}
