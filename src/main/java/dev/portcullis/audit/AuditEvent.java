package dev.portcullis.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One decision as the audit log keeps it: who asked ({@code subject}, {@code clientIp}), for what
 * ({@code object}), the outcome and the rule that made it.
 *
 * @param capability the deciding capability, e.g. {@code registryauth}
 * @param action     what was asked, e.g. {@code token}
 * @param decision   {@code allow}, {@code deny}, {@code partial} or {@code error}; the log's own upkeep
 *                   (capability {@code audit}) writes {@code delete} (retention) and {@code recovered}
 * @param rule       the rule that decided, e.g. {@code acl[2] "admins may do anything"}
 */
public record AuditEvent(Instant time, String capability, String action, String subject, String clientIp,
                         String object, String decision, String rule, String detail) {
    private static final int MAX_FIELD = 4096;

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        capability = clip(Objects.requireNonNull(capability, "capability"));
        action = clip(Objects.requireNonNull(action, "action"));
        subject = clip(subject == null ? "" : subject);
        clientIp = clip(clientIp == null ? "" : clientIp);
        object = clip(object == null ? "" : object);
        decision = clip(Objects.requireNonNull(decision, "decision"));
        rule = clip(rule == null ? "" : rule);
        detail = clip(detail == null ? "" : detail);
    }

    // The log must take any request, however large and however encoded: longer fields are cut, half
    // characters replaced, never rejected, so every store and the journal keep the same text.
    private static String clip(String s) {
        if (s.length() <= MAX_FIELD) {
            return wellFormed(s);
        }
        int cut = MAX_FIELD - 1;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;   // never keep half of a character
        }
        return wellFormed(s.substring(0, cut)) + "…";
    }

    /** The text with every half of a surrogate pair (which UTF-8 and JSON cannot carry) replaced by U+FFFD. */
    static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return repairSurrogates(s);
            }
        }
        return s;
    }

    private static String repairSurrogates(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
