package dev.portcullis.admission;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.image.RegistryCredentials;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code admission.mutate} section: whether {@code POST /admission/mutate} resolves the tags of a
 * Pod's images to digests (off by default), the registries' pull accounts, which registries speak
 * plain HTTP, and how gently the registries are asked (cache, concurrency).
 */
public record MutateSettings(boolean enabled, Map<String, RegistryCredentials> credentials, Set<String> insecureRegistries,
                             int cacheSize, Duration cacheTtl, Duration negativeTtl, int maxConcurrentPerRegistry) {
    public MutateSettings {
        credentials = Map.copyOf(credentials);
        insecureRegistries = Set.copyOf(insecureRegistries);
        if (cacheSize < 1 || maxConcurrentPerRegistry < 1) {
            throw new IllegalArgumentException("admission.mutate.cache_size and max_concurrent_per_registry are at least 1");
        }
    }

    /** Off. */
    static MutateSettings off() {
        return new MutateSettings(false, Map.of(), Set.of(), 10_000, Duration.ofMinutes(5), Duration.ofSeconds(30), 4);
    }

    static MutateSettings from(ConfigSection admission) {
        ConfigSection s = admission.section("mutate");
        s.rejectUnknown(Set.of("enabled", "credentials", "insecure_registries", "cache_size", "cache_ttl", "negative_ttl",
                "max_concurrent_per_registry"));
        Map<String, RegistryCredentials> credentials = new HashMap<>();
        ConfigSection creds = s.section("credentials");
        for (String registry : creds.keys()) {
            ConfigSection account = creds.section(registry);
            account.rejectUnknown(Set.of("username", "password"));
            String user = account.requireString("username");
            String password = account.secret("password").orElseThrow(() -> account.error("password", "is required"))
                    .reveal();
            try {
                credentials.put(registry, new RegistryCredentials(user, password));
            } catch (IllegalArgumentException e) {
                throw account.error("username", e.getMessage());
            }
        }
        List<String> insecure = s.stringList("insecure_registries");
        Duration ttl = s.duration("cache_ttl", Duration.ofMinutes(5));
        Duration negative = s.duration("negative_ttl", Duration.ofSeconds(30));
        if (ttl.isNegative() || ttl.isZero()) {
            throw s.error("cache_ttl", "must be longer than 0s");
        }
        if (negative.isNegative()) {
            throw s.error("negative_ttl", "must not be negative");
        }
        return new MutateSettings(s.bool("enabled", false), credentials, Set.copyOf(insecure), s.integer("cache_size", 10_000, 1, 10_000_000),
                ttl, negative, s.integer("max_concurrent_per_registry", 4, 1, 1000));
    }
}
