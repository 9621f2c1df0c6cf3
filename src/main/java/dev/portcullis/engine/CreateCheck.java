package dev.portcullis.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.config.StrictJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /containers/create} judged against an identity's rules, and given its owner
 * label. The engine (Go) matches JSON keys without regard to case and lets a later key win, so keys
 * are looked up here without case, and an object with two keys equal but for case is refused.
 */
public final class CreateCheck {
    /** The label naming the identity that created a container. */
    public static final String OWNER_LABEL = "dev.portcullis.owner";
    private static final Set<String> NAMESPACES = Set.of("NetworkMode", "PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode");
    private static final Set<String> UNCONFINED = Set.of("seccomp=unconfined", "seccomp:unconfined", "apparmor=unconfined",
            "apparmor:unconfined", "label=disable", "label:disable", "systempaths=unconfined");

    private CreateCheck() {}

    /** What the check found: the body to send on (with the owner label), or why it is refused. */
    public sealed interface Outcome {
        /** Allowed; {@code body} carries the owner label, {@code image} what the container runs. */
        record Allowed(byte[] body, String image) implements Outcome {}

        /** Refused for every reason given; {@code needs} names the rule settings that would allow it ({@code binds=/etc}). */
        record Denied(List<String> reasons, List<String> needs, String image) implements Outcome {}
    }

    public static Outcome check(byte[] body, IdentityRules rules) {
        JsonNode root;
        try {
            root = StrictJson.read(body);
        } catch (StrictJson.InvalidJsonException e) {
            throw Refusal.malformed("the container's configuration is not JSON: " + e.getMessage());
        }
        if (!(root instanceof ObjectNode config)) {
            throw Refusal.malformed("the container's configuration is not a JSON object");
        }
        requireNoCaseTwins(config, "");
        String image = field(config, "Image").filter(JsonNode::isTextual).map(JsonNode::asText).orElse("");
        List<Need> needs = new ArrayList<>();
        Optional<JsonNode> host = field(config, "HostConfig").filter(JsonNode::isObject);
        host.ifPresent(h -> hostConfig(h, rules, needs));
        if (!needs.isEmpty()) {
            return new Outcome.Denied(needs.stream().map(Need::reason).toList(), needs.stream().map(Need::setting).distinct().toList(), image);
        }
        ObjectNode labels;
        Optional<String> labelsKey = key(config, "Labels");
        if (labelsKey.isPresent() && config.get(labelsKey.get()) instanceof ObjectNode l) {
            labels = l;
        } else {
            labelsKey.ifPresent(config::remove);
            labels = config.putObject("Labels");
        }
        labels.put(OWNER_LABEL, rules.identity());
        try {
            return new Outcome.Allowed(StrictJson.mapper().writeValueAsBytes(config), image);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the configuration again: " + e.getMessage(), e);
        }
    }

    /** One thing the configuration asks for that the rules do not allow, and the setting that would. */
    private record Need(String setting, String reason) {}

    private static void hostConfig(JsonNode h, IdentityRules rules, List<Need> reasons) {
        if (!rules.privileged() && field(h, "Privileged").map(JsonNode::asBoolean).orElse(false)) {
            reasons.add(new Need("privileged", "a privileged container"));
        }
        if (!rules.hostNamespaces()) {
            for (String ns : NAMESPACES) {
                field(h, ns).map(JsonNode::asText).filter(v -> v.equalsIgnoreCase("host"))
                        .ifPresent(v -> reasons.add(new Need("host_namespaces", "the host's namespace (" + ns + ": host)")));
            }
        }
        for (String cap : texts(h, "CapAdd")) {
            String c = EngineRules.capability(cap);
            if (!rules.capAdd().contains(c)) {
                reasons.add(new Need("cap_add=" + c, "added capability " + c));
            }
        }
        if (!rules.devices()) {
            for (String k : List.of("Devices", "DeviceRequests", "DeviceCgroupRules")) {
                field(h, k).filter(v -> v.isArray() && !v.isEmpty()).ifPresent(v -> reasons.add(new Need("devices", "host devices (" + k + ")")));
            }
        }
        for (String bind : texts(h, "Binds")) {
            String source = bind.split(":", 2)[0];
            if (source.startsWith("/")) {
                bindSource(source, rules, reasons);
            } else if (source.contains("/")) {
                reasons.add(new Need("relative bind " + source, "bind mount of relative path " + source));
            }
        }
        field(h, "Mounts").filter(JsonNode::isArray).ifPresent(ms -> ms.forEach(m -> mount(m, rules, reasons)));
        if (!texts(h, "VolumesFrom").isEmpty()) {
            reasons.add(new Need("VolumesFrom", "volumes of another container (VolumesFrom)"));
        }
        if (!rules.unconfined()) {
            for (String opt : texts(h, "SecurityOpt")) {
                if (UNCONFINED.contains(opt.replace(" ", "").toLowerCase(Locale.ROOT))) {
                    reasons.add(new Need("unconfined", "security option " + opt));
                }
            }
            field(h, "MaskedPaths").filter(v -> v.isArray() && v.isEmpty())
                    .ifPresent(v -> reasons.add(new Need("unconfined", "no masked paths (systempaths=unconfined)")));
        }
    }

    private static void mount(JsonNode m, IdentityRules rules, List<Need> reasons) {
        String type = field(m, "Type").map(JsonNode::asText).orElse("").toLowerCase(Locale.ROOT);
        switch (type) {
            case "bind" -> bindSource(field(m, "Source").map(JsonNode::asText).orElse(""), rules, reasons);
            case "volume" -> field(m, "VolumeOptions").flatMap(o -> field(o, "DriverConfig")).filter(d -> !d.isNull())
                    .ifPresent(d -> reasons.add(new Need("volume driver options", "a mount with its own volume driver configuration")));
            case "tmpfs" -> { }
            default -> reasons.add(new Need("mount type " + type, "a mount of type '" + type + "'"));
        }
    }

    private static void bindSource(String source, IdentityRules rules, List<Need> reasons) {
        if (!source.startsWith("/") || source.contains("/../") || source.endsWith("/..") || source.contains("/./")
                || !rules.bindAllowed(source.replaceAll("/{2,}", "/"))) {
            reasons.add(new Need("binds=" + source, "bind mount of host path " + source));
        }
    }

    private static List<String> texts(JsonNode n, String name) {
        return field(n, name).filter(JsonNode::isArray).map(a -> {
            List<String> out = new ArrayList<>();
            a.forEach(v -> out.add(v.asText()));
            return out;
        }).orElse(List.of());
    }

    static Optional<JsonNode> field(JsonNode n, String name) {
        return key(n, name).map(n::get).filter(v -> !v.isNull());
    }

    private static Optional<String> key(JsonNode n, String name) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equalsIgnoreCase(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static void requireNoCaseTwins(JsonNode n, String at) {
        if (n.isObject()) {
            Set<String> seen = new HashSet<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!seen.add(k.toLowerCase(Locale.ROOT))) {
                    throw Refusal.malformed("the configuration has two keys '" + at + k + "' that differ only in case");
                }
                requireNoCaseTwins(n.get(k), at + k + ".");
            }
        } else if (n.isArray()) {
            n.forEach(v -> requireNoCaseTwins(v, at));
        }
    }
}
