package dev.portcullis.policy;

import dev.portcullis.attest.AskedDigests;
import dev.portcullis.attest.AttestationState;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.platform.Contribution;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Decides whether a workload's images may run, under the policy in force, and writes the decision to the audit log. */
public final class PolicyService {
    /** Where the policy capability hands the capabilities started after it (admission, say) the service that decides. */
    public static final Contribution<PolicyService> CONTRIBUTION = new Contribution<>("policy service", PolicyService.class);

    private final PolicyStore policies;
    private final Supplier<DecisionSnapshot> snapshots;
    private final AuditLog audit;
    private final Clock clock;
    private final List<PolicyCheck> checks;
    private final AskedDigests asked;

    public PolicyService(PolicyStore policies, AuditLog audit, Clock clock) {
        this(policies, List.of(), audit, clock, AskedDigests.NOT_KEPT);
    }

    /** With {@code checks} run after the attestation check, in their order, and the digests evaluations look up noted in {@code asked}. */
    public PolicyService(PolicyStore policies, List<PolicyCheck> checks, AuditLog audit, Clock clock, AskedDigests asked) {
        this(policies, policies::snapshot, checks, audit, clock, asked);
    }

    private PolicyService(PolicyStore policies, Supplier<DecisionSnapshot> snapshots, List<PolicyCheck> checks, AuditLog audit,
                          Clock clock, AskedDigests asked) {
        this.policies = policies;
        this.snapshots = snapshots;
        this.checks = List.copyOf(checks);
        this.audit = audit;
        this.clock = clock;
        this.asked = asked;
    }

    /**
     * A service over one policy and no store, attestation or other check: what {@code admission explain}
     * judges a manifest with before it reaches a cluster, in the webhook's words. Rules that require
     * attestations deny, since it knows none.
     */
    public static PolicyService offline(PolicyState policy, AuditLog audit, Clock clock) {
        DecisionSnapshot snapshot = new DecisionSnapshot(policy, AttestationState.EMPTY);
        return new PolicyService(null, () -> snapshot, List.of(), audit, clock, AskedDigests.NOT_KEPT);
    }

    /** The decision; it takes effect only once its audit record is written (else {@code AuditException}). */
    public PolicyDecision evaluate(List<String> images, EvaluationContext ctx, String who) {
        return evaluate(images, ctx, d -> {
            String subject = ctx.namespace().orElse("") + ctx.serviceAccount().map(sa -> ":" + sa).orElse("");
            return new AuditEvent(clock.instant(), "policy", "evaluate", subject.isEmpty() ? who : subject, "",
                    String.join(",", images), outcome(d), rules(d), ctx.cluster().map(c -> "cluster=" + c).orElse(""));
        });
    }

    /**
     * The decision, recorded as {@code record} makes it from the decision: a caller that answers for a
     * larger request (an admission review) writes one record naming it, not two. It takes effect only
     * once that record is written (else {@code AuditException}).
     */
    public PolicyDecision evaluate(List<String> images, EvaluationContext ctx, Function<PolicyDecision, AuditEvent> record) {
        if (images.isEmpty() || images.size() > 100) {
            throw new PolicyException("a workload names between 1 and 100 images, not " + images.size());
        }
        // One snapshot for the whole decision: the policy and the attestations of the same moment.
        PolicyDecision d = judge(images, ctx);
        audit.record(record.apply(d));
        return d;
    }

    /**
     * The decision without an audit record: for re-checking what already runs, where only a change
     * (a pod that now breaks the policy) is a decision worth recording, and the caller records it.
     */
    public PolicyDecision judge(List<String> images, EvaluationContext ctx) {
        if (images.isEmpty() || images.size() > 100) {
            throw new PolicyException("a workload names between 1 and 100 images, not " + images.size());
        }
        DecisionSnapshot s = snapshots.get();
        // A running pod's images count as asked about too: retention keeps what runs.
        return new PolicyEvaluator(s.attestations().index(), clock, checks, asked).evaluate(s.policy().policy(), images, ctx);
    }

    /** The snapshot decisions are taken from now: a new one when the policy, a key or an attestation changed. */
    public DecisionSnapshot snapshot() {
        return snapshots.get();
    }

    /** The audit log's word for a decision: {@code deny}, {@code dryrun-deny} or {@code allow}. */
    public static String outcome(PolicyDecision d) {
        return !d.allowed() ? "deny" : d.dryRun() ? "dryrun-deny" : "allow";
    }

    /** The rule that decided each image, as the audit log names them: {@code image <- rule [CODE]; ...}. */
    public static String rules(PolicyDecision d) {
        return d.images().stream().map(v -> v.image() + " <- " + v.rule()
                + (v instanceof ImageVerdict.Denied x ? " " + x.code() : "")).collect(Collectors.joining("; "));
    }

    /** The store of the policy in force; an {@link #offline} service has none. */
    public PolicyStore policies() {
        if (policies == null) {
            throw new IllegalStateException("an offline policy service has no store");
        }
        return policies;
    }
}
