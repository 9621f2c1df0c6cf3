package dev.portcullis.workload;

/** Posts a Kubernetes Event on a pod, where operators and {@code kubectl describe} see it. */
public interface PodEvents {
    /** A warning on the pod; failures are logged, never thrown: an Event is a notice, not a decision. */
    void warn(RunningPod pod, String reason, String message);
}
