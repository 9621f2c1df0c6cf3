package dev.portcullis.workload;

/** Sets or removes a label on a running pod, so that operators find it with {@code kubectl get pods -l}. */
public interface PodLabels {
    /** The label operators select violating pods by. */
    String VIOLATION = "portcullis.dev/image-policy";

    /** Sets {@code key=value} on the pod, or removes the key when {@code value} is null; failures are logged, never thrown. */
    void label(RunningPod pod, String key, String value);
}
