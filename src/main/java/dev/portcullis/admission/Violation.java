package dev.portcullis.admission;

import java.time.Instant;
import java.util.Objects;

/**
 * A running pod's image that the policy in force denies: which workload, which image and where the pod
 * names it, why (Binary Authorization's words, with the hint), and since when it has been seen so.
 *
 * @param breakGlass the pod runs by break-glass: admitted knowingly, listed so that it is not forgotten
 */
public record Violation(String podUid, String namespace, String pod, String owner, String image, String field, String reason,
                        boolean breakGlass, Instant since) {
    public Violation {
        Objects.requireNonNull(podUid, "podUid");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
    }

    /** The same pod and image: a violation that goes on, whatever its words now. */
    boolean sameAs(Violation other) {
        return podUid.equals(other.podUid) && image.equals(other.image);
    }
}
