package dev.portcullis.workload;

import dev.portcullis.platform.BackgroundWork;
import dev.portcullis.platform.Contribution;
import dev.portcullis.platform.Module;
import java.util.List;
import java.util.Optional;

/** The started workload capability: the pod inventory and its watch, handed to the capabilities after it. */
public final class Workloads implements Module {
    /** The inventory of running pods, for whoever re-checks them (continuous validation). */
    public static final Contribution<Workloads> CONTRIBUTION = new Contribution<>("running workloads", Workloads.class);

    private final PodInventory pods;
    private final Optional<KubernetesPodWatch> watch;

    Workloads(PodInventory pods, Optional<KubernetesPodWatch> watch) {
        this.pods = pods;
        this.watch = watch;
    }

    /** Whether the cluster's pods are watched at all. */
    public boolean watching() {
        return watch.isPresent();
    }

    public PodInventory pods() {
        return pods;
    }

    /** Where violations are posted as Events, when the watch runs and {@code kubernetes.events} is on. */
    public Optional<PodEvents> events() {
        return watch.flatMap(KubernetesPodWatch::events);
    }

    /** Where violating pods are labelled, when the watch runs and {@code kubernetes.label_violations} is on. */
    public Optional<PodLabels> labels() {
        return watch.flatMap(KubernetesPodWatch::labels);
    }

    /** Why the running pods are not known yet (the first list has not come back), or empty once they are. */
    public Optional<String> notListedYet() {
        return watch.flatMap(KubernetesPodWatch::notListedYet);
    }

    @Override
    public List<BackgroundWork> background() {
        return watch.<List<BackgroundWork>>map(List::of).orElse(List.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> List<T> contributions(Contribution<T> kind) {
        return kind.equals(CONTRIBUTION) ? List.of((T) this) : List.of();
    }
}
