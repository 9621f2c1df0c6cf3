package dev.portcullis.admission;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.platform.BackgroundWork;
import dev.portcullis.policy.DecisionSnapshot;
import dev.portcullis.policy.EvaluationContext;
import dev.portcullis.policy.ImageVerdict;
import dev.portcullis.policy.PolicyDecision;
import dev.portcullis.policy.PolicyService;
import dev.portcullis.workload.PodEvents;
import dev.portcullis.workload.PodInventory;
import dev.portcullis.workload.RunningPod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-checks what already runs: every running pod's images against the policy in force, when the
 * policy, a key or an attestation changes (on any replica: the change feed brings it into the snapshot
 * read here), when the pods change, and at least every {@code admission.revalidate_every}. A pod that
 * newly breaks the policy is one audit record, an Event on the pod and a line of {@link #violations()};
 * one that no longer does is an audit record too. Re-checks that change nothing record nothing.
 */
public final class ContinuousValidation implements BackgroundWork {
    /** How often it looks whether anything changed: the delay between a change and its violation. */
    static final Duration LOOK = Duration.ofSeconds(1);
    static final String EVENT_REASON = "ImagePolicyViolation";

    private final PolicyService policy;
    private final AdmissionSettings settings;
    private final PodInventory pods;
    private final Optional<PodEvents> events;
    private final java.util.function.Supplier<Optional<String>> notListedYet;
    private final Optional<dev.portcullis.workload.PodLabels> labels;
    private final AuditLog audit;
    private final Clock clock;
    private volatile Map<String, List<Violation>> byPod = Map.of();
    private final AtomicLong found = new AtomicLong();
    private volatile Thread thread;
    private volatile String failure = "";
    private DecisionSnapshot checkedSnapshot;
    private long checkedPods = -1;
    private Instant checkedAt = Instant.EPOCH;

    public ContinuousValidation(PolicyService policy, AdmissionSettings settings, PodInventory pods, Optional<PodEvents> events,
                                Optional<dev.portcullis.workload.PodLabels> labels,
                                java.util.function.Supplier<Optional<String>> notListedYet, AuditLog audit, Clock clock) {
        this.notListedYet = notListedYet;
        this.labels = labels;
        this.policy = policy;
        this.settings = settings;
        this.pods = pods;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "continuous validation";
    }

    @Override
    public void start() {
        thread = Thread.ofVirtual().name("continuous-validation").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    checkIfDue();
                    failure = "";
                    Thread.sleep(LOOK);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // The audit log or the store failing: the violations stay as they were, and it tries again.
                    failure = e.getClass().getSimpleName();
                    try {
                        Thread.sleep(LOOK);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        });
    }

    /** One look: a pass if the snapshot or the pods changed or the interval is over. */
    void checkIfDue() {
        if (!pods.synced()) {
            return;
        }
        DecisionSnapshot snapshot = policy.snapshot();
        long version = pods.version();
        Instant now = clock.instant();
        if (snapshot == checkedSnapshot && version == checkedPods && now.isBefore(checkedAt.plus(settings.revalidateEvery()))) {
            return;
        }
        pass(now);
        checkedSnapshot = snapshot;
        checkedPods = version;
        checkedAt = now;
    }

    /** Judges every running pod now and records what changed. */
    void pass(Instant now) {
        Map<String, List<Violation>> before = byPod;
        Map<String, List<Violation>> after = new HashMap<>();
        for (RunningPod pod : pods.pods()) {
            List<Violation> found = judge(pod, before.getOrDefault(pod.uid(), List.of()), now);
            if (!found.isEmpty()) {
                after.put(pod.uid(), found);
            }
        }
        for (Map.Entry<String, List<Violation>> e : after.entrySet()) {
            List<Violation> old = before.getOrDefault(e.getKey(), List.of());
            List<Violation> fresh = e.getValue().stream().filter(v -> old.stream().noneMatch(v::sameAs)).toList();
            if (!fresh.isEmpty()) {
                reportNew(fresh);
            }
        }
        for (Map.Entry<String, List<Violation>> e : before.entrySet()) {
            List<Violation> now_ = after.getOrDefault(e.getKey(), List.of());
            for (Violation v : e.getValue()) {
                if (now_.stream().noneMatch(v::sameAs)) {
                    audit.record(event(v, "allow", "violation resolved: " + v.image() + " is allowed now, or the pod is gone"));
                }
            }
            if (now_.isEmpty()) {
                // No violation left on a pod that still runs: its label goes.
                labels.ifPresent(l -> running(e.getKey()).ifPresent(pod -> l.label(pod, dev.portcullis.workload.PodLabels.VIOLATION, null)));
            }
        }
        byPod = Map.copyOf(after);
    }

    private List<Violation> judge(RunningPod pod, List<Violation> known, Instant now) {
        List<String> images = pod.distinctImages();
        if (images.size() > 100) {
            images = images.subList(0, 100);
        }
        EvaluationContext ctx = AdmissionReviewer.context(settings, pod.namespace(), pod.serviceAccount());
        PolicyDecision d = policy.judge(images, ctx);
        if (d.allowed()) {
            return List.of(); // allowed, or denied only by a dry-run rule: nothing to act on
        }
        boolean breakGlass = AdmissionReviewer.breakGlassAsked(pod.labels(), pod.annotations());
        List<Violation> out = new ArrayList<>();
        for (ImageVerdict v : d.images()) {
            if (v instanceof ImageVerdict.Denied denied) {
                String field = pod.containers().stream().filter(c -> c.image().equals(denied.image())).map(RunningPod.Container::field)
                        .findFirst().orElse("");
                Instant since = known.stream().filter(k -> k.image().equals(denied.image())).map(Violation::since).findFirst().orElse(now);
                out.add(new Violation(pod.uid(), pod.namespace(), pod.name(), pod.owner(), denied.image(), field,
                        denied.message() + " (to fix: " + denied.hint() + ")", breakGlass, since));
            }
        }
        return out;
    }

    private void reportNew(List<Violation> fresh) {
        for (Violation v : fresh) {
            found.incrementAndGet();
            audit.record(event(v, "deny", "running workload violates the policy: " + v.reason()));
        }
        Violation first = fresh.get(0);
        RunningPod pod = running(first.podUid()).orElse(null);
        if (pod != null) {
            String message = String.join("; ", fresh.stream().map(v -> v.reason() + " [" + v.field() + "]").toList());
            events.ifPresent(e -> e.warn(pod, EVENT_REASON, "Running image breaks the image policy: " + message));
            labels.ifPresent(l -> l.label(pod, dev.portcullis.workload.PodLabels.VIOLATION, "violation"));
        }
    }

    private Optional<RunningPod> running(String uid) {
        return pods.pods().stream().filter(p -> p.uid().equals(uid)).findFirst();
    }

    private AuditEvent event(Violation v, String decision, String rule) {
        return new AuditEvent(clock.instant(), "admission", "revalidate", "", "", "Pod " + v.namespace() + "/" + v.pod()
                + (v.owner().isEmpty() ? "" : " (" + v.owner() + ")") + " image=" + v.image(), decision, rule,
                "uid=" + v.podUid() + (v.breakGlass() ? " breakGlass=true" : "") + " since=" + v.since());
    }

    /**
     * Why the violations cannot be told yet: the pods have not been listed (the API server unreachable,
     * say), so an empty list would claim a clean cluster that nobody has looked at.
     */
    public Optional<String> notKnownYet() {
        return pods.synced() ? Optional.empty() : Optional.of(notListedYet.get().orElse("the cluster's pods are not listed yet"));
    }

    /** The violations now, oldest first. */
    public List<Violation> violations() {
        return byPod.values().stream().flatMap(List::stream)
                .sorted(Comparator.comparing(Violation::since).thenComparing(Violation::namespace).thenComparing(Violation::pod)).toList();
    }

    /** How many there are now (what the gauge reads, without sorting them). */
    public int count() {
        return byPod.values().stream().mapToInt(List::size).sum();
    }

    /** Violations found since the start (a pod's image that newly broke the policy). */
    public long found() {
        return found.get();
    }

    @Override
    public void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Health health() {
        if (!pods.synced()) {
            return new Health(true, "waiting for the pod list");
        }
        return failure.isEmpty() ? Health.ok() : new Health(true, "the last re-check failed (" + failure + "); retrying");
    }
}
