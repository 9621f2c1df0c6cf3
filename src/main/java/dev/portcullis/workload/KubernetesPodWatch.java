package dev.portcullis.workload;

import dev.portcullis.platform.BackgroundWork;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches the cluster's pods with fabric8's informer (a list, then a watch that resumes after a
 * break) into the {@link PodInventory}; a pod that has finished (Succeeded, Failed) leaves it.
 */
final class KubernetesPodWatch implements BackgroundWork {
    /** The informer lists everything again this often, so that a missed watch event heals. */
    private static final Duration RESYNC = Duration.ofMinutes(5);

    private final KubernetesSettings settings;
    private final PodInventory pods;
    private final Clock clock;
    private final List<SharedIndexInformer<Pod>> informers = new ArrayList<>();
    private volatile KubernetesClient client;
    private volatile String failure = "";
    private volatile long nextLog;

    KubernetesPodWatch(KubernetesSettings settings, PodInventory pods, Clock clock) {
        this.settings = settings;
        this.pods = pods;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "kubernetes pod watch";
    }

    @Override
    public void start() {
        client = new KubernetesClientBuilder().withConfig(config()).build();
        List<String> namespaces = settings.namespaces().isEmpty() ? List.of("") : settings.namespaces();
        AtomicInteger unsynced = new AtomicInteger(namespaces.size());
        for (String ns : namespaces) {
            SharedIndexInformer<Pod> informer = (ns.isEmpty() ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns))
                    .runnableInformer(RESYNC.toMillis());
            informer.addEventHandler(new Handler());
            informer.exceptionHandler((watching, e) -> {
                String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
                if (!why.equals(failure) || clock.millis() >= nextLog) {
                    // Once per new cause, then once a minute: an API server that stays away is not one line a second.
                    nextLog = clock.millis() + 60_000;
                    System.getLogger(KubernetesPodWatch.class.getName()).log(System.Logger.Level.WARNING,
                            "cannot " + (pods.synced() ? "watch" : "list") + " the cluster's pods (retrying): " + why);
                }
                failure = why;
                return true; // keep trying: the API server may be restarting
            });
            informers.add(informer);
            informer.start().whenComplete((ok, e) -> {
                if (e == null && unsynced.decrementAndGet() == 0) {
                    failure = "";
                    pods.markSynced();
                }
            });
        }
    }

    private Config config() {
        if (settings.kubeconfig().isPresent()) {
            try {
                return Config.fromKubeconfig(Files.readString(settings.kubeconfig().get()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kubernetes.kubeconfig", e);
            }
        }
        if (settings.apiUrl().isPresent()) {
            var b = Config.builder().withAutoConfigure(false).withMasterUrl(settings.apiUrl().get().toString());
            settings.caFile().ifPresent(ca -> b.withCaCertFile(ca.toString()));
            // Read at each use: a projected service-account token is rotated under the running process.
            settings.tokenFile().ifPresent(t -> b.withOauthTokenProvider(() -> {
                try {
                    return Files.readString(t).strip();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read kubernetes.token_file", e);
                }
            }));
            return b.build();
        }
        return Config.autoConfigure(null); // in the cluster: the pod's service account
    }

    /** Posts Events with the same client, when {@code kubernetes.events} is on. */
    Optional<PodEvents> events() {
        return settings.events() ? Optional.of((pod, reason, message) -> KubernetesEvents.warn(client, clock, pod, reason, message))
                : Optional.empty();
    }

    /** Labels pods with the same client, when {@code kubernetes.label_violations} is on. */
    Optional<PodLabels> labels() {
        return settings.labelViolations() ? Optional.of(this::label) : Optional.empty();
    }

    private void label(RunningPod pod, String key, String value) {
        try {
            var p = client.pods().inNamespace(pod.namespace()).withName(pod.name());
            if (value != null) {
                // A merge patch: it makes the labels map if the pod has none.
                p.patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        dev.portcullis.config.StrictJson.mapper().writeValueAsString(java.util.Map.of("metadata", java.util.Map.of("labels", java.util.Map.of(key, value)))));
            } else {
                // A JSON patch's remove: the key goes (RFC 6902), whatever a server makes of a merge patch's null.
                p.patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                        dev.portcullis.config.StrictJson.mapper().writeValueAsString(java.util.List.of(java.util.Map.of("op", "remove", "path",
                                "/metadata/labels/" + key.replace("~", "~0").replace("/", "~1")))));
            }
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            System.getLogger(KubernetesPodWatch.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot label pod " + pod.namespace() + "/" + pod.name() + ": " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void stop() {
        informers.forEach(SharedIndexInformer::stop);
        if (client != null) {
            client.close();
        }
    }

    /** Why the pods are not known yet, while the first list has not come back. */
    Optional<String> notListedYet() {
        if (pods.synced()) {
            return Optional.empty();
        }
        return Optional.of("the cluster's pods are not listed yet" + (failure.isEmpty() ? "" : ": " + failure));
    }

    @Override
    public Health health() {
        // Not being able to watch is reported, not fatal: admission still answers from the policy.
        if (!pods.synced()) {
            return new Health(true, "listing pods" + (failure.isEmpty() ? "" : " (" + failure + ")"));
        }
        return failure.isEmpty() ? Health.ok() : new Health(true, "watching, after: " + failure);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String one = nl < 0 ? s : s.substring(0, nl);
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    private final class Handler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            seen(pod);
        }

        @Override
        public void onUpdate(Pod before, Pod pod) {
            seen(pod);
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            if (pod.getMetadata() != null && pod.getMetadata().getUid() != null) {
                pods.remove(pod.getMetadata().getUid());
            }
        }

        private void seen(Pod pod) {
            Optional<RunningPod> running = PodReader.read(pod);
            String uid = pod.getMetadata() == null ? null : pod.getMetadata().getUid();
            if (running.isPresent()) {
                pods.put(running.get());
            } else if (uid != null) {
                pods.remove(uid);
            }
        }
    }
}
