package dev.portcullis.workload;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/** Posts a core/v1 Event on a pod: what {@code kubectl describe pod} and {@code kubectl get events} show. */
final class KubernetesEvents {
    /** Kept under a kilobyte, as events.k8s.io's note must be; the audit log has the whole message. */
    private static final int MAX_MESSAGE = 1000;

    private KubernetesEvents() {
    }

    static void warn(KubernetesClient client, Clock clock, RunningPod pod, String reason, String message) {
        if (client == null) {
            return;
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Event event = new EventBuilder()
                .withNewMetadata().withNamespace(pod.namespace())
                .withName(pod.name() + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT))
                .endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace(pod.namespace()).withName(pod.name())
                .withUid(pod.uid()).endInvolvedObject()
                .withType("Warning").withReason(reason)
                .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message)
                .withNewSource().withComponent("portcullis").endSource()
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(pod.namespace()).resource(event).create();
        } catch (RuntimeException e) {
            System.getLogger(KubernetesEvents.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot post the Event on pod " + pod.namespace() + "/" + pod.name() + ": " + e.getClass().getSimpleName());
        }
    }
}
