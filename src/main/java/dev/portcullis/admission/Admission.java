package dev.portcullis.admission;

import dev.portcullis.platform.BackgroundWork;
import dev.portcullis.platform.Module;
import java.util.List;
import java.util.Optional;

/**
 * The running admission webhook: whether it answers ({@code admission.enabled}), the parser of reviews
 * the reviewer that judges them, whether it is served on a listener of its own ({@code admission.addr})
 * rather than the main one, the re-checking of running pods when the cluster is watched, and the
 * mutating webhook when {@code admission.mutate.enabled}.
 */
public record Admission(boolean enabled, AdmissionReviewParser parser, AdmissionReviewer reviewer, boolean ownListener,
                        Optional<ContinuousValidation> validation, Optional<AdmissionMutator> mutator) implements Module {
    @Override
    public List<BackgroundWork> background() {
        return validation.<List<BackgroundWork>>map(List::of).orElse(List.of());
    }
}
