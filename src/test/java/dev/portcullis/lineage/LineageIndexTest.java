package dev.portcullis.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.image.Digest;
import dev.portcullis.image.Manifest;
import dev.portcullis.image.Platform;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parents by annotation or by layers, per platform; descendants; bans reaching every descendant. */
class LineageIndexTest {
    private static final Platform AMD = Platform.parse("linux/amd64");
    private static final Platform ARM = Platform.parse("linux/arm64");
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final String R = "reg.example:5000/";

    private final Map<Digest, ImageNode> images = new HashMap<>();
    private final Map<Digest, Manifest.Index> indexes = new HashMap<>();
    private final Map<String, Map<String, Digest>> holdings = new HashMap<>();

    static Digest d(String name) {
        return Digest.sha256(name.getBytes(StandardCharsets.UTF_8));
    }

    private Digest image(String name, Platform p, Map<String, String> annotations, String... layers) {
        Digest digest = d(name);
        images.put(digest, new ImageNode(digest, p, Arrays.stream(layers).map(LineageIndexTest::d).toList(), annotations, Map.of(), ""));
        return digest;
    }

    private void tag(String repo, String tag, Digest digest) {
        holdings.computeIfAbsent(R + repo, k -> new HashMap<>()).put(tag, digest);
    }

    private LineageIndex index(Ban... bans) {
        return new LineageIndex(images, indexes, holdings, List.of(bans), "org.opencontainers.image.vendor");
    }

    private static Ban ban(Ban.Target t, Instant expires) {
        return new Ban("ban-1", t, "bad openssl", List.of("CVE-2026-0001"), "ops", T0, expires);
    }

    @Test
    void parent_longestProperLayerPrefix_foundByLayers() {
        tag("base", "1", image("base", AMD, Map.of(), "l1"));
        tag("mid", "1", image("mid", AMD, Map.of(), "l1", "l2"));
        tag("app", "1", image("app", AMD, Map.of(), "l1", "l2", "l3"));
        tag("twin", "1", image("twin", AMD, Map.of(), "l1", "l2"));   // same layers as mid: a sibling, not a parent
        LineageIndex ix = index();
        // Two images share app's longest prefix: the same one is chosen whatever the order of arrival.
        Digest first = d("mid").toString().compareTo(d("twin").toString()) < 0 ? d("mid") : d("twin");
        assertThat(ix.parent(d("app"))).contains(new LineageIndex.Edge(first, d("app"), LineageIndex.FoundBy.LAYERS));
        assertThat(ix.parent(d("mid")).orElseThrow().parent()).isEqualTo(d("base"));
        assertThat(ix.parent(d("twin")).orElseThrow().parent()).isEqualTo(d("base"));
        assertThat(ix.parent(d("base"))).isEmpty();
        assertThat(ix.descendants(List.of(d("base")))).containsOnlyKeys(d("mid"), d("twin"), d("app")).containsEntry(d("app"), 2);
        assertThat(ix.ancestry(d("app"))).extracting(LineageIndex.Edge::parent).containsExactly(d("base"), first);
    }

    @Test
    void parent_otherPlatformSameLayers_notAParent() {
        tag("base", "1", image("base", ARM, Map.of(), "l1"));
        tag("app", "1", image("app", AMD, Map.of(), "l1", "l2"));
        assertThat(index().parent(d("app"))).isEmpty();
    }

    @Test
    void parent_baseAnnotationKnown_winsOverLayersAndSaysSo() {
        tag("base", "1", image("base", AMD, Map.of(), "l1"));
        Digest other = image("other", AMD, Map.of(), "x1");
        tag("other", "1", other);
        tag("app", "1", image("app", AMD, Map.of(ImageNode.BASE_DIGEST, other.toString()), "l1", "l2"));
        tag("lost", "1", image("lost", AMD, Map.of(ImageNode.BASE_DIGEST, d("unknown").toString()), "l1", "l3"));
        LineageIndex ix = index();
        assertThat(ix.parent(d("app"))).contains(new LineageIndex.Edge(other, d("app"), LineageIndex.FoundBy.ANNOTATION));
        assertThat(ix.parent(d("lost"))).contains(new LineageIndex.Edge(d("base"), d("lost"), LineageIndex.FoundBy.LAYERS));
    }

    @Test
    void parent_annotationsClaimACycle_layersDecideAndNoLoop() {
        tag("a", "1", image("a", AMD, Map.of(ImageNode.BASE_DIGEST, d("b").toString()), "l1"));
        tag("b", "1", image("b", AMD, Map.of(ImageNode.BASE_DIGEST, d("a").toString()), "l1", "l2"));
        LineageIndex ix = index();
        assertThat(ix.parent(d("b")).orElseThrow().parent()).isEqualTo(d("a"));
        assertThat(ix.parent(d("a"))).isEmpty();
        assertThat(ix.ancestry(d("b"))).hasSize(1);
    }

    @Test
    void banned_baseByDigest_everyDescendantNamingTheBaseAndNotOthers() {
        Digest base = image("base", AMD, Map.of(), "l1");
        tag("base", "1.0", base);
        tag("app", "1", image("app", AMD, Map.of(), "l1", "l2"));
        tag("deep", "1", image("deep", AMD, Map.of(), "l1", "l2", "l3"));
        tag("other", "1", image("other", AMD, Map.of(), "x1"));
        LineageIndex ix = index(ban(new Ban.Target.ByDigest(base), Instant.MAX));
        LineageIndex.BanHit hit = ix.banned(d("deep"), T0).orElseThrow();
        assertThat(hit.ancestor()).isEqualTo(base);
        assertThat(hit.ancestorName()).isEqualTo(R + "base:1.0@" + base);
        assertThat(ix.banned(d("app"), T0)).isPresent();
        assertThat(ix.banned(base, T0)).isPresent();
        assertThat(ix.banned(d("other"), T0)).isEmpty();
    }

    @Test
    void banned_expiredBan_notInForce() {
        Digest base = image("base", AMD, Map.of(), "l1");
        tag("base", "1.0", base);
        LineageIndex ix = index(ban(new Ban.Target.ByDigest(base), T0.plusSeconds(60)));
        assertThat(ix.banned(base, T0.plusSeconds(59))).isPresent();
        assertThat(ix.banned(base, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void banned_repositoryVersionRange_onlyTagsInRangeAndTheirDescendants() {
        Digest old = image("old", AMD, Map.of(), "l1");
        Digest fixed = image("fixed", AMD, Map.of(), "f1");
        tag("base", "1.2", old);
        tag("base", "1.4", fixed);
        tag("app", "1", image("app", AMD, Map.of(), "l1", "l2"));
        tag("app2", "1", image("app2", AMD, Map.of(), "f1", "l2"));
        LineageIndex ix = index(ban(new Ban.Target.ByRange(R + "base", VersionRange.parse(">=1.0 <1.3")), Instant.MAX));
        assertThat(ix.banned(d("app"), T0).orElseThrow().ancestor()).isEqualTo(old);
        assertThat(ix.banned(d("app2"), T0)).isEmpty();
    }

    @Test
    void resolve_indexByTagOrDigest_eachPlatformAndOnePlacementPerRepository() {
        Digest amd = image("c-amd", AMD, Map.of(), "l1");
        Digest arm = image("c-arm", ARM, Map.of(), "l1");
        Digest idx = d("c-index");
        indexes.put(idx, new Manifest.Index(idx, Manifest.OCI_INDEX, List.of(new Manifest.Child(amd, Manifest.OCI_MANIFEST, AMD),
                new Manifest.Child(arm, Manifest.OCI_MANIFEST, ARM)), Map.of()));
        tag("c", "1", idx);
        tag("c", "@" + amd, amd);   // a multi-platform push puts each child by digest too
        LineageIndex ix = index();
        assertThat(ix.resolve(R + "c:1")).containsExactlyInAnyOrder(amd, arm);
        assertThat(ix.resolve(R + "c@" + idx)).containsExactlyInAnyOrder(amd, arm);
        assertThat(ix.resolve(R + "c:2")).isEmpty();
        assertThat(ix.placements(amd)).containsExactly(new LineageIndex.Placement(R + "c", idx, List.of("1")));
    }
}
