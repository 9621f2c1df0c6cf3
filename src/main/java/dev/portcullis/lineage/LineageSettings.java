package dev.portcullis.lineage;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.config.Secret;
import dev.portcullis.image.RegistryCredentials;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code lineage} section: the shared secret the registry's notifications carry (in
 * {@code events_header}, {@code Authorization} by default, as {@code Bearer <secret>} or the bare
 * secret), the registries whose events are read (plain HTTP or not, the pull account), and the label
 * naming an image's owning team.
 */
public record LineageSettings(Secret eventsSecret, String eventsHeader, Map<String, RegistryCredentials> credentials,
                              Set<String> registries, Set<String> insecure, String ownerLabel) {
    private static final int MIN_SECRET = 16;

    public LineageSettings {
        credentials = Map.copyOf(credentials);
        registries = Set.copyOf(registries);
        insecure = Set.copyOf(insecure);
    }

    /** Whether {@code POST /registry/events} is open: a secret is set. */
    public boolean receivesEvents() {
        return !eventsSecret.isEmpty();
    }

    static LineageSettings from(ConfigSection root) {
        ConfigSection s = root.section("lineage");
        s.rejectUnknown(Set.of("events_secret", "events_header", "registries", "owner_label"));
        Secret secret = s.secret("events_secret").orElse(Secret.of(""));
        if (!secret.isEmpty() && secret.reveal().length() < MIN_SECRET) {
            throw s.error("events_secret", "must be at least " + MIN_SECRET + " characters");
        }
        String header = s.string("events_header", "Authorization");
        if (!header.matches("[A-Za-z0-9-]{1,64}")) {
            throw s.error("events_header", "must be an HTTP header name");
        }
        Map<String, RegistryCredentials> credentials = new HashMap<>();
        Set<String> insecure = new HashSet<>();
        ConfigSection regs = s.section("registries");
        for (String host : regs.keys()) {
            ConfigSection r = regs.section(host);
            r.rejectUnknown(Set.of("insecure", "username", "password"));
            if (r.bool("insecure", false)) {
                insecure.add(host);
            }
            if (r.string("username").isPresent()) {
                String password = r.secret("password").orElseThrow(() -> r.error("password", "is required with a username")).reveal();
                try {
                    credentials.put(host, new RegistryCredentials(r.requireString("username"), password));
                } catch (IllegalArgumentException e) {
                    throw r.error("username", e.getMessage());
                }
            }
        }
        return new LineageSettings(secret, header, credentials, regs.keys(), insecure,
                s.string("owner_label", "org.opencontainers.image.vendor"));
    }

    @Override
    public String toString() {
        return "LineageSettings[eventsSecret=****, eventsHeader=" + eventsHeader + ", registries=" + registries + "]";
    }
}
