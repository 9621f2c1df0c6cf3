package dev.portcullis.policy;

import java.util.List;

/**
 * The decision for a workload: allowed when every image is; {@code dryRun} when the deciding rules only
 * audit, in which case {@code allowed} is true and the verdicts still say what enforcement would do.
 */
public record PolicyDecision(boolean allowed, boolean dryRun, List<ImageVerdict> images) {
    public PolicyDecision {
        images = List.copyOf(images);
    }
}
