package dev.portcullis.lineage;

import dev.portcullis.image.Digest;
import dev.portcullis.image.ImageReference;
import dev.portcullis.image.InvalidReferenceException;
import dev.portcullis.image.Manifest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is built on whom, at one moment: the images some repository holds (by tag or digest, directly or
 * through an index), each image's parent (the base its OCI annotations name when that base is known,
 * else the image of the same platform whose layers are the longest proper prefix of its own), the
 * children, and the bans. Immutable: a change builds a new one, so a decision reads one consistent index.
 */
final class LineageIndex {
    /** How an edge was found. */
    enum FoundBy { ANNOTATION, LAYERS }

    /** A parent edge. */
    record Edge(Digest parent, Digest child, FoundBy foundBy) {}

    /** Where an image is held: the repository, the digest held there (the image's or an index's) and its tags. */
    record Placement(String repository, Digest held, List<String> tags) {}

    /** A banned image: the ban and the ancestor (or the image itself) it names. */
    record BanHit(Ban ban, Digest ancestor, String ancestorName) {}

    static final LineageIndex EMPTY = new LineageIndex(Map.of(), Map.of(), Map.of(), List.of(), "org.opencontainers.image.vendor");

    private final Map<Digest, ImageNode> nodes = new HashMap<>();
    private final Map<Digest, Manifest.Index> indexes;
    private final Map<String, Map<String, Digest>> tags;
    private final Map<Digest, List<Placement>> placements = new HashMap<>();
    private final Map<Digest, Set<Digest>> indexesOf = new HashMap<>();
    private final Map<Digest, Edge> parents = new HashMap<>();
    private final Map<Digest, List<Digest>> children = new HashMap<>();
    private final List<Ban> bans;
    private final Map<String, Set<Digest>> banRoots = new HashMap<>();
    private final String ownerLabel;

    /**
     * @param images every image manifest known, with its config
     * @param holdings per repository ({@code registry/path}), what each tag or {@code @digest} holds now
     */
    LineageIndex(Map<Digest, ImageNode> images, Map<Digest, Manifest.Index> indexes, Map<String, Map<String, Digest>> holdings,
                 List<Ban> bans, String ownerLabel) {
        this.indexes = Map.copyOf(indexes);
        this.ownerLabel = ownerLabel;
        Map<String, Map<String, Digest>> t = new HashMap<>();
        Map<Digest, Map<String, Map<Digest, TreeSet<String>>>> where = new HashMap<>();
        holdings.forEach((repo, names) -> names.forEach((name, held) -> {
            String tag = name.startsWith("@") ? null : name;
            if (tag != null) {
                t.computeIfAbsent(repo, k -> new HashMap<>()).put(tag, held);
            }
            Manifest.Index index = indexes.get(held);
            List<Digest> members = index == null ? List.of(held) : index.children().stream().map(Manifest.Child::digest).toList();
            for (Digest m : members) {
                ImageNode n = images.get(m);
                if (n == null) {
                    continue;   // not read (yet): a child the registry did not serve, say
                }
                nodes.put(m, index == null ? n : withIndexAnnotations(n, index));
                if (index != null) {
                    indexesOf.computeIfAbsent(m, k -> new HashSet<>()).add(held);
                }
                TreeSet<String> ts = where.computeIfAbsent(m, k -> new HashMap<>()).computeIfAbsent(repo, k -> new HashMap<>())
                        .computeIfAbsent(held, k -> new TreeSet<>());
                if (tag != null) {
                    ts.add(tag);
                }
            }
        }));
        this.tags = t;
        // One placement per repository: held by the index that names it there if there is one (a multi-platform
        // push also puts each child by digest), with every tag that reaches it.
        where.forEach((m, byRepo) -> {
            List<Placement> ps = new ArrayList<>();
            byRepo.forEach((repo, byHeld) -> {
                TreeSet<String> all = new TreeSet<>();
                byHeld.values().forEach(all::addAll);
                Digest held = byHeld.keySet().stream().filter(h -> !h.equals(m))
                        .min(Comparator.comparing((Digest h) -> byHeld.get(h).isEmpty()).thenComparing(Digest::toString)).orElse(m);
                ps.add(new Placement(repo, held, List.copyOf(all)));
            });
            ps.sort(Comparator.comparing((Placement p) -> p.tags().isEmpty()).thenComparing(Placement::repository));
            placements.put(m, List.copyOf(ps));
        });
        Map<String, LayerTrie> tries = new HashMap<>();
        nodes.values().forEach(n -> tries.computeIfAbsent(n.platform().toString(), k -> new LayerTrie()).add(n.digest(), n.layers()));
        for (ImageNode n : nodes.values()) {
            Edge e = annotationParent(n);
            parents.put(n.digest(), e != null ? e : layersParent(n, tries));
        }
        parents.values().removeIf(java.util.Objects::isNull);
        breakCycles(tries);
        parents.values().forEach(e -> children.computeIfAbsent(e.parent(), k -> new ArrayList<>()).add(e.child()));
        children.values().forEach(l -> l.sort(Comparator.comparing(Digest::toString)));
        this.bans = List.copyOf(bans);
        for (Ban b : bans) {
            banRoots.put(b.id(), Set.copyOf(roots(b.target())));
        }
    }

    // The annotations of the index naming an image count for it too (builders put them on either); its own first.
    private static ImageNode withIndexAnnotations(ImageNode n, Manifest.Index index) {
        if (index.annotations().isEmpty()) {
            return n;
        }
        Map<String, String> a = new HashMap<>(index.annotations());
        a.putAll(n.annotations());
        return new ImageNode(n.digest(), n.platform(), n.layers(), a, n.labels(), n.created());
    }

    private Edge annotationParent(ImageNode n) {
        String named = n.annotations().get(ImageNode.BASE_DIGEST);
        if (named == null) {
            return null;
        }
        Digest d;
        try {
            d = Digest.parse(named);
        } catch (InvalidReferenceException e) {
            return null;   // a malformed annotation says nothing: the layers decide
        }
        Manifest.Index index = indexes.get(d);
        List<Digest> candidates = index == null ? List.of(d) : index.children().stream().map(Manifest.Child::digest).toList();
        for (Digest c : candidates) {
            ImageNode p = nodes.get(c);
            if (p != null && !c.equals(n.digest()) && p.platform().equals(n.platform())) {
                return new Edge(c, n.digest(), FoundBy.ANNOTATION);
            }
        }
        return null;
    }

    private static Edge layersParent(ImageNode n, Map<String, LayerTrie> tries) {
        List<Digest> owners = tries.get(n.platform().toString()).longestProperPrefix(n.layers());
        return owners.isEmpty() ? null : new Edge(owners.get(0), n.digest(), FoundBy.LAYERS);
    }

    // Annotations may claim a cycle (a base naming its own descendant): such an edge gives way to the layers,
    // which cannot loop (a parent by layers has strictly fewer).
    private void breakCycles(Map<String, LayerTrie> tries) {
        for (Digest start : new ArrayList<>(parents.keySet())) {
            while (true) {
                Set<Digest> seen = new HashSet<>();
                Digest cur = start;
                Digest annotated = null;
                while (cur != null && seen.add(cur)) {
                    Edge e = parents.get(cur);
                    if (e != null && e.foundBy() == FoundBy.ANNOTATION && annotated == null) {
                        annotated = cur;
                    }
                    cur = e == null ? null : e.parent();
                }
                if (cur == null) {
                    break;
                }
                Edge replacement = layersParent(nodes.get(annotated), tries);
                if (replacement == null) {
                    parents.remove(annotated);
                } else {
                    parents.put(annotated, replacement);
                }
            }
        }
    }

    private Set<Digest> roots(Ban.Target target) {
        Set<Digest> out = new HashSet<>();
        switch (target) {
            case Ban.Target.ByDigest d -> out.addAll(members(d.digest()));
            case Ban.Target.ByRange r -> tags.getOrDefault(r.repository(), Map.of()).forEach((tag, held) -> {
                if (r.versions().contains(tag)) {
                    out.addAll(members(held));
                }
            });
        }
        return out;
    }

    /** The known images a digest names: the image, or an index's children. */
    List<Digest> members(Digest d) {
        if (nodes.containsKey(d)) {
            return List.of(d);
        }
        Manifest.Index index = indexes.get(d);
        return index == null ? List.of() : index.children().stream().map(Manifest.Child::digest).filter(nodes::containsKey).toList();
    }

    /** The known images a reference names (by digest, else by its tag's digest); none when it names nothing known. */
    List<Digest> resolve(String reference) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(reference);
        } catch (InvalidReferenceException e) {
            throw new LineageException("image reference '" + reference + "': " + e.getMessage());
        }
        if (ref.digestOptional().isPresent()) {
            return members(ref.digestOptional().get());
        }
        Digest held = tags.getOrDefault(ref.name(), Map.of()).get(ref.tagOptional().orElse("latest"));
        return held == null ? List.of() : members(held);
    }

    /** The digest a reference's tag holds now, or null. */
    Digest heldBy(ImageReference ref) {
        return tags.getOrDefault(ref.name(), Map.of()).get(ref.tagOptional().orElse("latest"));
    }

    Optional<ImageNode> node(Digest d) {
        return Optional.ofNullable(nodes.get(d));
    }

    List<Placement> placements(Digest d) {
        return placements.getOrDefault(d, List.of());
    }

    Optional<Edge> parent(Digest d) {
        return Optional.ofNullable(parents.get(d));
    }

    /** The edges from the root down to {@code d}, base first; empty for a root. */
    List<Edge> ancestry(Digest d) {
        List<Edge> up = new ArrayList<>();
        Set<Digest> seen = new HashSet<>();
        for (Edge e = parents.get(d); e != null && seen.add(e.child()); e = parents.get(e.parent())) {
            up.add(e);
        }
        java.util.Collections.reverse(up);
        return up;
    }

    /** Every image built on one of {@code roots}, each once, with its depth below the nearest root; the roots excluded. */
    Map<Digest, Integer> descendants(List<Digest> roots) {
        Map<Digest, Integer> depth = new LinkedHashMap<>();
        ArrayDeque<Digest> queue = new ArrayDeque<>();
        Set<Digest> rootSet = new HashSet<>(roots);
        roots.forEach(r -> {
            depth.put(r, 0);
            queue.add(r);
        });
        while (!queue.isEmpty()) {
            Digest d = queue.poll();
            for (Digest c : children.getOrDefault(d, List.of())) {
                if (!depth.containsKey(c)) {
                    depth.put(c, depth.get(d) + 1);
                    queue.add(c);
                }
            }
        }
        depth.keySet().removeAll(rootSet);
        return depth;
    }

    /** The first ban in force at {@code now} naming this image or one of its ancestors (the nearest first). */
    Optional<BanHit> banned(Digest d, Instant now) {
        Set<Digest> seen = new HashSet<>();
        for (Digest cur = d; cur != null && seen.add(cur); cur = parent(cur).map(Edge::parent).orElse(null)) {
            for (Ban b : bans) {
                if (b.active(now) && banRoots.get(b.id()).contains(cur)) {
                    return Optional.of(new BanHit(b, cur, name(cur)));
                }
            }
        }
        return Optional.empty();
    }

    /** An image in words: {@code repository:tag@digest} where it is held (the first placement), else its digest. */
    String name(Digest d) {
        List<Placement> ps = placements(d);
        if (ps.isEmpty()) {
            return d.toString();
        }
        Placement p = ps.get(0);
        return p.repository() + (p.tags().isEmpty() ? "" : ":" + p.tags().get(0)) + "@" + p.held();
    }

    /** The owning team: the configured owner label (or annotation). */
    String owner(ImageNode n) {
        return n.meta(ownerLabel);
    }

    List<Ban> bans() {
        return bans;
    }

    int size() {
        return nodes.size();
    }
}
