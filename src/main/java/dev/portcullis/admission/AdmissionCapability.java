package dev.portcullis.admission;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.platform.Capability;
import dev.portcullis.platform.StartContext;
import dev.portcullis.policy.PolicyService;
import java.nio.file.Path;
import dev.portcullis.image.RegistryClient;
import dev.portcullis.workload.Workloads;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Kubernetes validating admission webhook as a capability: it reads the {@code admission} section
 * and judges through the policy capability's service (started before it), so a review is decided and
 * audited as any evaluation is.
 */
public final class AdmissionCapability implements Capability<AdmissionSettings, Admission> {
    @Override
    public String name() {
        return "admission";
    }

    @Override
    public Set<String> sections() {
        return Set.of("admission");
    }

    @Override
    public AdmissionSettings settings(ConfigSection root, Path dataDir) {
        return AdmissionSettings.from(root);
    }

    @Override
    public Admission start(AdmissionSettings settings, StartContext context) {
        List<PolicyService> policy = context.contributed(PolicyService.CONTRIBUTION);
        if (policy.size() != 1) {
            throw new IllegalStateException("the admission webhook needs the policy capability started before it");
        }
        // Running pods are re-checked where the workload capability watches the cluster.
        Optional<ContinuousValidation> validation = context.contributed(Workloads.CONTRIBUTION).stream().filter(Workloads::watching)
                .findFirst().map(w -> new ContinuousValidation(policy.get(0), settings, w.pods(), w.events(), w.labels(), w::notListedYet, context.audit(),
                        context.clock()));
        return new Admission(settings.enabled(), new AdmissionReviewParser(settings.maxContainers()),
                new AdmissionReviewer(policy.get(0), settings, context.audit(), context.clock()), settings.listener().isPresent(),
                validation, mutator(settings.mutate(), context));
    }

    private static Optional<AdmissionMutator> mutator(MutateSettings m, StartContext context) {
        if (!m.enabled()) {
            return Optional.empty();
        }
        RegistryClient registry = new RegistryClient(m.insecureRegistries(), m.credentials());
        return Optional.of(new AdmissionMutator(new TagResolver(registry, m, context.clock()), context.audit(), context.clock()));
    }
}
