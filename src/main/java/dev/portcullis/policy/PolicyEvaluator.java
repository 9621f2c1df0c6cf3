package dev.portcullis.policy;

import dev.portcullis.attest.AskedDigests;
import dev.portcullis.attest.AttestationIndex;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a policy for the images of a workload by running an ordered list of {@link PolicyCheck}s
 * on each image, against memory only (no I/O on this path): the first denial decides the image, and
 * an image every check passes is allowed with the first check's rule and reason. The attestation
 * check is always first; new checks join the list, the evaluator stays as it is.
 */
final class PolicyEvaluator {
    private final List<PolicyCheck> checks;

    /** The attestation check alone. */
    public PolicyEvaluator(AttestationIndex index, Clock clock) {
        this(index, clock, List.of(), AskedDigests.NOT_KEPT);
    }

    /** The attestation check, noting the digests it looks up in {@code asked}, then {@code more} in their order. */
    public PolicyEvaluator(AttestationIndex index, Clock clock, List<PolicyCheck> more, AskedDigests asked) {
        List<PolicyCheck> all = new ArrayList<>(1 + more.size());
        all.add(new AttestationCheck(index, clock, asked));
        all.addAll(more);
        this.checks = List.copyOf(all);
    }

    public PolicyDecision evaluate(BinauthzPolicy policy, List<String> images, EvaluationContext ctx) {
        BinauthzPolicy.Selected selected = policy.select(ctx);
        List<ImageVerdict> verdicts = new ArrayList<>(images.size());
        boolean allowed = true;
        boolean dryRun = false;
        for (String image : images) {
            ImageVerdict v = evaluateImage(new PolicyCheck.Input(image, policy, selected, ctx));
            verdicts.add(v);
            if (v instanceof ImageVerdict.Denied) {
                if (selected.rule().dryRun()) {
                    dryRun = true;
                } else {
                    allowed = false;
                }
            }
        }
        return new PolicyDecision(allowed, dryRun, verdicts);
    }

    private ImageVerdict evaluateImage(PolicyCheck.Input in) {
        PolicyCheck.Pass first = null;
        for (PolicyCheck check : checks) {
            switch (check.check(in)) {
                case PolicyCheck.Deny d -> {
                    return new ImageVerdict.Denied(in.image(), d.rule(), d.code(), d.message(), d.hint(), d.attestors());
                }
                case PolicyCheck.Pass p -> {
                    if (first == null) {
                        first = p;
                    }
                }
            }
        }
        return new ImageVerdict.Allowed(in.image(), first.rule(), first.why(), first.attestors());
    }
}
