package dev.portcullis.admission;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.config.Secret;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code admission.break_glass} section: whether Google's break-glass label is honoured at all
 * (by default it is, as Google does), and what it needs beyond Google's: a justification annotation
 * on the pod, a requesting user in one of the allowed groups, and an alert webhook told of every use.
 *
 * @param alertUrl a Slack-style incoming webhook, a secret (such URLs hold their token): never logged
 */
public record BreakGlassSettings(boolean enabled, boolean requireJustification, Set<String> allowedGroups,
                                 Optional<Secret> alertUrl) {
    /** The annotation that says why the glass was broken, shown in the audit record and the alert. */
    public static final String JUSTIFICATION_ANNOTATION = "portcullis.dev/break-glass-justification";
    /** The longest justification kept: an annotation may be 256 KiB, an audit record should not be. */
    static final int MAX_JUSTIFICATION = 500;

    public BreakGlassSettings {
        allowedGroups = Set.copyOf(allowedGroups);
        if (alertUrl.isPresent()) {
            validUrl(alertUrl.get().reveal());
        }
    }

    /** Google's behaviour: honoured, nothing more asked, no alert. */
    public static BreakGlassSettings google() {
        return new BreakGlassSettings(true, false, Set.of(), Optional.empty());
    }

    /** Reads {@code break_glass} of the admission section; absent: {@link #google()}. */
    static BreakGlassSettings from(ConfigSection admission) {
        ConfigSection s = admission.section("break_glass");
        s.rejectUnknown(Set.of("enabled", "require_justification", "allowed_groups", "alert_url"));
        List<String> groups = s.stringList("allowed_groups");
        for (String g : groups) {
            if (g.isBlank()) {
                throw s.error("allowed_groups", "names an empty group");
            }
        }
        Optional<Secret> url = s.secret("alert_url");
        if (url.isPresent()) {
            try {
                validUrl(url.get().reveal());
            } catch (IllegalArgumentException e) {
                throw s.error("alert_url", e.getMessage());
            }
        }
        return new BreakGlassSettings(s.bool("enabled", true), s.bool("require_justification", false), Set.copyOf(groups), url);
    }

    /**
     * Why a pod's break-glass is not honoured, or empty if it is: the requester's groups and the pod's
     * annotations against what this asks.
     */
    Optional<String> refusal(List<String> requesterGroups, java.util.Map<String, String> annotations) {
        if (!enabled) {
            return Optional.of("break-glass is turned off here (admission.break_glass.enabled: false)");
        }
        if (requireJustification && justification(annotations).isEmpty()) {
            return Optional.of("break-glass needs a justification: annotate the pod with " + JUSTIFICATION_ANNOTATION);
        }
        if (!allowedGroups.isEmpty() && requesterGroups.stream().noneMatch(allowedGroups::contains)) {
            return Optional.of("break-glass is allowed only to members of " + String.join(", ", new java.util.TreeSet<>(allowedGroups))
                    + " (admission.break_glass.allowed_groups), and the requesting user is in none of them");
        }
        return Optional.empty();
    }

    /** The pod's justification, stripped and cut to a length an audit record can hold. */
    static Optional<String> justification(java.util.Map<String, String> annotations) {
        String j = annotations.get(JUSTIFICATION_ANNOTATION);
        if (j == null || j.isBlank()) {
            return Optional.empty();
        }
        String one = j.strip().replaceAll("\\s+", " ");
        return Optional.of(one.length() > MAX_JUSTIFICATION ? one.substring(0, MAX_JUSTIFICATION) + "…" : one);
    }

    private static void validUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be an http or https URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException("must be an http or https URL");
        }
    }
}
