package dev.portcullis.workload;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.platform.Capability;
import dev.portcullis.platform.StartContext;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** What runs where, as a capability: the {@code kubernetes} section and, when enabled, the pod watch. */
public final class WorkloadCapability implements Capability<KubernetesSettings, Workloads> {
    @Override
    public String name() {
        return "workload";
    }

    @Override
    public Set<String> sections() {
        return Set.of("kubernetes");
    }

    @Override
    public KubernetesSettings settings(ConfigSection root, Path dataDir) {
        return KubernetesSettings.from(root);
    }

    @Override
    public Workloads start(KubernetesSettings settings, StartContext context) {
        PodInventory pods = new PodInventory();
        return new Workloads(pods, settings.enabled() ? Optional.of(new KubernetesPodWatch(settings, pods, context.clock()))
                : Optional.empty());
    }
}
