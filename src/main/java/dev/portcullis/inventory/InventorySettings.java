package dev.portcullis.inventory;

import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigSection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The {@code inventory} section: the named sets, each with one source and its schedule. */
public record InventorySettings(List<SetSettings> sets) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62})");
    private static final Set<String> SOURCES = Set.of("file", "http", "gce", "ec2", "kubernetes");
    private static final Set<String> SET_KEYS = Set.of("name", "file", "http", "gce", "ec2", "kubernetes", "every", "jitter", "max_age",
            "rate_limit", "backoff_max");

    /** One set: its name, its schedule and its source. */
    public record SetSettings(String name, Schedule schedule, SourceSettings source) {}

    public InventorySettings {
        sets = List.copyOf(sets);
    }

    /** Reads the section; absent: no sets. */
    public static InventorySettings from(ConfigSection root) {
        ConfigSection s = root.section("inventory");
        s.rejectUnknown(Set.of("sets"));
        List<SetSettings> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigSection set : s.sectionList("sets")) {
            SetSettings one = set(set);
            if (!names.add(one.name())) {
                throw set.error("name", "'" + one.name() + "' names two sets");
            }
            out.add(one);
        }
        return new InventorySettings(out);
    }

    private static SetSettings set(ConfigSection s) {
        s.rejectUnknown(SET_KEYS);
        String name = s.requireString("name");
        if (!NAME.matcher(name).matches()) {
            throw s.error("name", "'" + IpLiteral.printable(name) + "' is not a set name: lower-case letters, digits, '.', '_', '-', "
                    + "at most 63, starting with a letter or digit");
        }
        List<String> kinds = s.keys().stream().filter(SOURCES::contains).toList();
        if (kinds.size() != 1) {
            throw s.error("name", "(set '" + name + "') needs exactly one source of file, http, gce, ec2, kubernetes; it has "
                    + (kinds.isEmpty() ? "none" : String.join(" and ", kinds)));
        }
        String kind = kinds.get(0);
        // Local sources are cheap to ask often; the cloud APIs have quotas.
        boolean local = kind.equals("file") || kind.equals("kubernetes");
        Duration every = s.duration("every", local ? Duration.ofSeconds(10) : Duration.ofMinutes(1));
        Schedule schedule;
        try {
            schedule = new Schedule(every, fraction(s, "jitter", 0.1), s.duration("max_age", every.multipliedBy(10)),
                    number(s, "rate_limit", local ? 0 : 10), s.duration("backoff_max", Duration.ofMinutes(5)));
        } catch (InventoryException e) {
            throw new ConfigException(s.location() + ": " + s.path() + " (set '" + name + "'): " + e.getMessage());
        }
        SourceSettings source = switch (kind) {
            case "file" -> file(s);
            case "http" -> SourceParsing.http(s.section("http"));
            case "gce" -> SourceParsing.gce(s.section("gce"));
            case "kubernetes" -> SourceParsing.kubernetes(s.section("kubernetes"));
            default -> SourceParsing.ec2(s.section("ec2"));
        };
        return new SetSettings(name, schedule, source);
    }

    private static SourceSettings file(ConfigSection s) {
        String text = s.requireString("file");
        if (text.isBlank()) {
            throw s.error("file", "must name a file");
        }
        // Not required to exist now: the set stays empty (and says so) until it does.
        return new SourceSettings.File(Path.of(text));
    }

    private static double fraction(ConfigSection s, String key, double dflt) {
        double v = number(s, key, dflt);
        if (v >= 1) {
            throw s.error(key, "must be a fraction below 1, such as 0.1");
        }
        return v;
    }

    private static double number(ConfigSection s, String key, double dflt) {
        String text = s.string(key, Double.toString(dflt));
        try {
            double v = Double.parseDouble(text);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw s.error(key, "must be a number, 0 or more");
            }
            return v;
        } catch (NumberFormatException e) {
            throw s.error(key, "must be a number, 0 or more; '" + IpLiteral.printable(text) + "' is not");
        }
    }

    /** Every set's name, for the ACL's {@code @inventory:NAME} check. */
    public Set<String> names() {
        Set<String> out = new HashSet<>();
        sets.forEach(x -> out.add(x.name()));
        return out;
    }

    static URI uri(ConfigSection s, String key, String dflt) {
        String text = s.string(key, dflt);
        try {
            URI u = URI.create(text);
            if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
                throw s.error(key, "must be an http or https URL");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw s.error(key, "must be an http or https URL");
        }
    }

    static Map<String, String> stringMap(ConfigSection s, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        s.stringMultiMap(key).forEach((k, v) -> out.put(k, String.join(",", v)));
        return out;
    }
}
