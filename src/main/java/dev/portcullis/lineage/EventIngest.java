package dev.portcullis.lineage;

import dev.portcullis.image.Digest;
import dev.portcullis.image.ImageConfig;
import dev.portcullis.image.ImageReference;
import dev.portcullis.image.Manifest;
import dev.portcullis.image.RegistryClient;
import dev.portcullis.image.RegistryException;
import dev.portcullis.image.RegistryThrottledException;
import dev.portcullis.image.RegistryUnavailableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Applies the registry's events: a manifest push reads the manifest (an index with each platform's
 * manifest, an image with its config) through the registry client unless it is known, then stores it
 * and what the repository holds now; deletions change only what is held. Each event once, by id; an
 * older event arriving after a newer one for the same tag or digest changes nothing. A registry that
 * does not answer stops the envelope there, to be sent again.
 */
final class EventIngest {
    /** What one envelope did. */
    record Receipt(int applied, int duplicates, int ignored, List<String> skipped, String unavailable) {
        Receipt {
            skipped = List.copyOf(skipped);
        }
    }

    private final LineageStore store;
    private final LineageState state;
    private final RegistryClient registry;
    private final Set<String> registries;
    private static final int FETCHERS = 8;
    private final ExecutorService fetchers = Executors.newVirtualThreadPerTaskExecutor();

    EventIngest(LineageStore store, LineageState state, RegistryClient registry, Set<String> registries) {
        this.store = store;
        this.state = state;
        this.registry = registry;
        this.registries = Set.copyOf(registries);
    }

    // One envelope at a time: the registry sends them in order, and a resent one waits for the first.
    synchronized Receipt apply(EventEnvelope envelope) {
        int duplicates = 0;
        int ignored = 0;
        List<String> skipped = new ArrayList<>(envelope.skipped());
        Set<String> done = store.applied(envelope.events().stream().filter(e -> e.action() != RegistryEvent.Action.IGNORED)
                .map(RegistryEvent::id).distinct().toList());
        List<LineageStore.Write> changes = new ArrayList<>();
        Map<String, Future<List<LineageStore.Blob>>> fetched = prefetch(envelope, done);
        String unavailable = "";
        for (RegistryEvent e : envelope.events()) {
            if (e.action() == RegistryEvent.Action.IGNORED) {
                ignored++;
                continue;
            }
            if (!done.add(e.id())) {
                duplicates++;
                continue;
            }
            ImageReference repo = ImageReference.parse(e.repository());
            if (!registries.contains(repo.registry())) {
                skipped.add("event " + e.id() + ": registry " + repo.registry() + " is not one of lineage.registries");
                continue;
            }
            try {
                changes.add(switch (e.action()) {
                    case MANIFEST_PUSH -> {
                        List<LineageStore.Blob> blobs = result(fetched.get(e.id()));
                        List<LineageStore.Hold> holds = new ArrayList<>();
                        holds.add(new LineageStore.Hold("@" + e.digest(), e.digest(), e.at()));
                        if (!e.tag().isEmpty()) {
                            holds.add(new LineageStore.Hold(e.tag(), e.digest(), e.at()));
                        }
                        yield new LineageStore.Write(e.id(), e.repository(), blobs, holds, false);
                    }
                    case MANIFEST_DELETE -> new LineageStore.Write(e.id(), e.repository(), List.of(),
                            List.of(new LineageStore.Hold("@" + e.digest(), null, e.at())), true);
                    case TAG_DELETE -> new LineageStore.Write(e.id(), e.repository(), List.of(),
                            List.of(new LineageStore.Hold(e.tag(), null, e.at())), false);
                    case IGNORED -> throw new IllegalStateException("ignored events are counted above");
                });
            } catch (RegistryException x) {
                skipped.add("event " + e.id() + ": " + x.getMessage());
            } catch (RegistryUnavailableException | RegistryThrottledException x) {
                // Worth asking again: the rest waits, and the registry sends the envelope again (what was applied is then a repeat).
                unavailable = "event " + e.id() + ": " + x.getMessage();
                break;
            }
        }
        // One transaction, one commit, for all the envelope's events.
        store.apply(changes);
        return new Receipt(changes.size(), duplicates, ignored, skipped, unavailable);
    }

    // The manifests of an envelope's pushes are read side by side (a registry's answers are latency, not work),
    // FETCHERS at a time; the events are then applied in their order.
    private Map<String, Future<List<LineageStore.Blob>>> prefetch(EventEnvelope envelope, Set<String> done) {
        Map<String, Future<List<LineageStore.Blob>>> out = new HashMap<>();
        Semaphore slots = new Semaphore(FETCHERS);
        for (RegistryEvent e : envelope.events()) {
            if (e.action() != RegistryEvent.Action.MANIFEST_PUSH || done.contains(e.id()) || out.containsKey(e.id())
                    || !registries.contains(ImageReference.parse(e.repository()).registry())) {
                continue;
            }
            out.put(e.id(), fetchers.submit(() -> {
                slots.acquire();
                try {
                    List<LineageStore.Blob> blobs = new ArrayList<>();
                    read(ImageReference.parse(e.repository()), e.digest(), blobs, true);
                    return blobs;
                } finally {
                    slots.release();
                }
            }));
        }
        return out;
    }

    private static List<LineageStore.Blob> result(Future<List<LineageStore.Blob>> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new RegistryUnavailableException("reading the manifest failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted");
        }
    }

    /** As {@link #read(ImageReference, Digest, List, boolean, Set)}, for one image or index alone. */
    void read(ImageReference repo, Digest d, List<LineageStore.Blob> out, boolean indexAllowed) {
        read(repo, d, out, indexAllowed, new HashSet<>());
    }

    // What is not known yet is read: an index's children too (one level: an index of indexes is not an image).
    private void read(ImageReference repo, Digest d, List<LineageStore.Blob> out, boolean indexAllowed, Set<Digest> read) {
        if (state.knows(d) || !read.add(d)) {
            return;
        }
        RegistryClient.Content c = registry.manifestContent(repo, d);
        Manifest m = Manifest.parse(d, c.mediaType(), c.bytes());
        switch (m) {
            case Manifest.Index i -> {
                if (!indexAllowed) {
                    throw new RegistryException("index " + d + " names another index; only images are read below an index");
                }
                for (Manifest.Child child : i.children()) {
                    read(repo, child.digest(), out, false, read);
                }
            }
            case Manifest.Image img -> {
                RegistryClient.Content config = registry.blobContent(repo, img.config());
                ImageConfig.parse(config.bytes());   // refused here rather than skipped at every start
                out.add(new LineageStore.Blob(img.config(), "application/vnd.oci.image.config.v1+json", config.bytes()));
            }
        }
        out.add(new LineageStore.Blob(d, m.mediaType(), c.bytes()));
    }
}
