package dev.portcullis.lineage;

import dev.portcullis.image.Digest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The images of one platform by their layer digests, a trie: an image's parent by layers is the image
 * whose layer list is the longest proper prefix of its own, found in one walk down its layers.
 */
final class LayerTrie {
    private static final class Node {
        final Map<Digest, Node> next = new HashMap<>(2);
        List<Digest> images = List.of();
    }

    private final Node root = new Node();

    void add(Digest image, List<Digest> layers) {
        Node n = root;
        for (Digest l : layers) {
            n = n.next.computeIfAbsent(l, k -> new Node());
        }
        List<Digest> here = new ArrayList<>(n.images);
        here.add(image);
        here.sort(java.util.Comparator.comparing(Digest::toString));   // the same answer whatever the order of arrival
        n.images = List.copyOf(here);
    }

    /** The images whose layers are the longest proper prefix of {@code layers} (several when they share it), or none. */
    List<Digest> longestProperPrefix(List<Digest> layers) {
        Node n = root;
        List<Digest> best = List.of();
        for (int i = 0; i < layers.size() - 1; i++) {
            n = n.next.get(layers.get(i));
            if (n == null) {
                break;
            }
            if (!n.images.isEmpty()) {
                best = n.images;
            }
        }
        return best;
    }
}
