package dev.portcullis.lineage;

import dev.portcullis.image.Digest;
import dev.portcullis.image.ImageReference;
import dev.portcullis.image.RegistryClient;
import dev.portcullis.image.RegistryException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cold start from what a registry holds: its catalog page by page, and each repository's tags read
 * as pushes are (the manifests not known yet read and kept), the tags lineage holds that the registry
 * no longer has deleted. One repository is one transaction: a sync stopped midway resumes after the
 * last repository done.
 */
final class RegistrySync {
    /** What reading one repository did. */
    record Result(int tags, int read, List<String> skipped) {
        Result {
            skipped = List.copyOf(skipped);
        }
    }

    private final RegistryClient registry;
    private final EventIngest ingest;
    private final LineageStore store;
    private final LineageState state;
    private final Clock clock;

    RegistrySync(RegistryClient registry, EventIngest ingest, LineageStore store, LineageState state, Clock clock) {
        this.registry = registry;
        this.ingest = ingest;
        this.store = store;
        this.state = state;
        this.clock = clock;
    }

    RegistryClient.Page catalog(String host, String last) {
        return registry.catalog(host, last, 100);
    }

    Result repository(String repository) {
        ImageReference repo = ImageReference.parse(repository);
        Instant now = clock.instant();
        List<LineageStore.Blob> blobs = new ArrayList<>();
        List<LineageStore.Hold> holds = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int read = 0;
        for (String tag : registry.tags(repo)) {
            try {
                Digest d = registry.resolveDigest(repo.withTag(tag));
                int before = blobs.size();
                ingest.read(repo, d, blobs, true);
                read += blobs.size() > before ? 1 : 0;
                holds.add(new LineageStore.Hold(tag, d, now));
                seen.add(tag);
            } catch (RegistryException e) {
                skipped.add(repository + ":" + tag + ": " + e.getMessage());
            }
        }
        for (Map.Entry<String, Digest> h : state.held(repository).entrySet()) {
            if (!h.getKey().startsWith("@") && !seen.contains(h.getKey()) && skipped.stream().noneMatch(s -> s.startsWith(repository + ":"
                    + h.getKey() + ":"))) {
                holds.add(new LineageStore.Hold(h.getKey(), null, now));   // gone from the registry
            }
        }
        store.apply(List.of(new LineageStore.Write(null, repo.name(), blobs, holds, false)));
        return new Result(seen.size(), read, skipped);
    }
}
