package dev.portcullis.policy;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/** Decides whether a workload's images may run, under the policy in force, and writes the decision to the audit log. */
public final class PolicyService {
    private final PolicyStore policies;
    private final AuditLog audit;
    private final Clock clock;
    private final List<PolicyCheck> checks;

    public PolicyService(PolicyStore policies, AuditLog audit, Clock clock) {
        this(policies, List.of(), audit, clock);
    }

    /** With {@code checks} run after the attestation check, in their order. */
    public PolicyService(PolicyStore policies, List<PolicyCheck> checks, AuditLog audit, Clock clock) {
        this.policies = policies;
        this.checks = List.copyOf(checks);
        this.audit = audit;
        this.clock = clock;
    }

    /** The decision; it takes effect only once its audit record is written (else {@code AuditException}). */
    public PolicyDecision evaluate(List<String> images, EvaluationContext ctx, String who) {
        if (images.isEmpty() || images.size() > 100) {
            throw new PolicyException("a workload names between 1 and 100 images, not " + images.size());
        }
        // One snapshot for the whole decision: the policy and the attestations of the same moment.
        DecisionSnapshot s = policies.snapshot();
        PolicyDecision d = new PolicyEvaluator(s.attestations().index(), clock, checks).evaluate(s.policy().policy(), images, ctx);
        String decision = !d.allowed() ? "deny" : d.dryRun() ? "dryrun-deny" : "allow";
        String rules = d.images().stream().map(v -> v.image() + " <- " + v.rule()
                + (v instanceof ImageVerdict.Denied x ? " " + x.code() : "")).collect(Collectors.joining("; "));
        String subject = ctx.namespace().orElse("") + ctx.serviceAccount().map(sa -> ":" + sa).orElse("");
        audit.record(new AuditEvent(clock.instant(), "policy", "evaluate", subject.isEmpty() ? who : subject, "",
                String.join(",", images), decision, rules, ctx.cluster().map(c -> "cluster=" + c).orElse("")));
        return d;
    }

    public PolicyStore policies() {
        return policies;
    }
}
