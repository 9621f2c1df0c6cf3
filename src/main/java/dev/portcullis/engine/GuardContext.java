package dev.portcullis.engine;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditException;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.pki.RevocationList;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What every connection of the guard shares: its settings, the rules and CRL in force, the audit log. */
final class GuardContext {
    private static final Logger LOG = Logger.getLogger(GuardContext.class.getName());

    private final GuardSettings settings;
    private final Supplier<EngineRules> rules;
    private final Supplier<Optional<RevocationList>> crl;
    private final AuditLog audit;
    private final Clock clock;
    private final BiFunction<String, String, Optional<String>> imageCheck;

    GuardContext(GuardSettings settings, Supplier<EngineRules> rules, Supplier<Optional<RevocationList>> crl, AuditLog audit,
                 Clock clock, BiFunction<String, String, Optional<String>> imageCheck) {
        this.settings = settings;
        this.rules = rules;
        this.crl = crl;
        this.audit = audit;
        this.clock = clock;
        this.imageCheck = imageCheck;
    }

    GuardSettings settings() {
        return settings;
    }

    Upstream upstream() {
        return settings.upstream();
    }

    EngineRules rules() {
        return rules.get();
    }

    boolean revoked(X509Certificate cert) {
        return crl.get().map(c -> c.revokes(cert)).orElse(false);
    }

    /** Why the image may not run for this identity, if it may not (the policy's verdict). */
    Optional<String> imageCheck(String identity, String image) {
        return imageCheck.apply(identity, image);
    }

    /** Records the decision; false (and logged) when the log cannot take it: the caller then passes nothing on. */
    boolean audit(String action, String identity, String clientIp, String endpoint, String decision, String rule) {
        return audit(action, identity, clientIp, endpoint, decision, rule, "");
    }

    /** With a detail: for a learned create, {@code needs: } the rule settings it needed, for suggest-rules. */
    boolean audit(String action, String identity, String clientIp, String endpoint, String decision, String rule, String detail) {
        try {
            audit.record(new AuditEvent(clock.instant(), "engine", action, identity, clientIp, endpoint, decision, rule, detail));
            return true;
        } catch (AuditException e) {
            LOG.log(Level.WARNING, "the audit log cannot be written: " + e.getMessage());
            return false;
        }
    }
}
