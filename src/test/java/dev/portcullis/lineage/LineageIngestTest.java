package dev.portcullis.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.Secret;
import dev.portcullis.image.Digest;
import dev.portcullis.platform.StartContext;
import dev.portcullis.policy.BinauthzPolicy;
import dev.portcullis.policy.EvaluationContext;
import dev.portcullis.policy.PolicyCheck;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.testbed.MutableClock;
import dev.portcullis.testbed.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Notifications applied to the store and memory, on H2 and PostgreSQL: each event once, safe out of
 * order, what cannot be read skipped with its reason and nothing half-applied, known again after a
 * restart, and a ban reaching another replica's policy check through the change feed.
 */
class LineageIngestTest {
    private static final String SECRET = "0123456789abcdef0123";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final List<AuditEvent> audited = new CopyOnWriteArrayList<>();
    private final AuditLog audit = new AuditLog() {
        @Override
        public void record(AuditEvent event) {
            audited.add(event);
        }

        @Override
        public List<AuditEvent> recent(int limit) {
            return List.copyOf(audited);
        }

        @Override
        public void close() {}
    };
    private final List<ChangeFeed> feeds = new java.util.ArrayList<>();
    private TestRegistry registry;
    private Database db;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private Lineage start(String kind) throws Exception {
        if (registry == null) {
            registry = new TestRegistry();
            db = Database.open(Stores.isolated(kind, dir), List.of("classpath:db/lineage"), List.of());
        }
        LineageSettings s = new LineageSettings(Secret.of(SECRET), "Authorization", Map.of(), java.util.Set.of(registry.host()),
                java.util.Set.of(registry.host()), "org.opencontainers.image.vendor");
        ChangeFeed feed = ChangeFeed.open(db, clock);
        feeds.add(feed);
        return new LineageCapability().start(s, new StartContext(dir, db, feed, audit, clock, List.of()));
    }

    private String event(String id, String at, String action, String repo, String tag, Digest d, String mediaType) {
        return """
                {"id": "%s", "timestamp": "%s", "action": "%s", "target": {"mediaType": "%s", "digest": "%s",
                 "repository": "%s", "url": "http://%s/v2/%s/manifests/%s", "tag": "%s"}, "request": {"host": "%s"}}"""
                .formatted(id, at, action, mediaType, d, repo, registry.host(), repo, d, tag, registry.host());
    }

    private Lineage.Receipt send(Lineage l, String... events) {
        return l.receive(("{\"events\": [" + String.join(",", events) + "]}").getBytes(StandardCharsets.UTF_8), "127.0.0.1");
    }

    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";

    @ParameterizedTest
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void receive_sameEventsTwiceAndDeleteBeforeOlderPush_onceAndStaysDeleted(String kind) throws Exception {
        Lineage l = start(kind);
        Digest base = registry.image("amd64", List.of("l1"), Map.of());
        Digest app = registry.image("amd64", List.of("l1", "l2"), Map.of());
        String pushBase = event("e1", "2026-12-01T00:00:01Z", "push", "base/os", "1.0", base, OCI);
        String pushApp = event("e2", "2026-12-01T00:00:02Z", "push", "team/app", "1", app, OCI);
        assertThat(send(l, pushBase, pushApp)).isEqualTo(new Lineage.Receipt(2, 0, 0, List.of(), ""));
        assertThat(send(l, pushBase, pushApp).duplicates()).isEqualTo(2);
        // Ids are kept a week (pruned by the next write after it): a resend then is applied again, and changes nothing.
        clock.advance(LineageStore.EVENT_IDS_KEPT.plusHours(2));
        send(l, event("e0", "2026-12-01T00:00:00Z", "delete", "base/os", "0.9", base, ""));
        assertThat(send(l, pushBase, pushApp)).isEqualTo(new Lineage.Receipt(2, 0, 0, List.of(), ""));
        String baseRef = registry.host() + "/base/os:1.0";
        assertThat(l.affected(baseRef)).singleElement().satisfies(a -> {
            assertThat(a.repository()).isEqualTo(registry.host() + "/team/app");
            assertThat(a.foundBy()).isEqualTo("layers");
            assertThat(a.owner()).isEqualTo("team-x");
        });
        // The delete (at :05) arrives before a push made earlier (at :04): the tag stays deleted.
        Digest app2 = registry.image("amd64", List.of("l1", "l3"), Map.of());
        send(l, event("e3", "2026-12-01T00:00:05Z", "delete", "team/app", "1", app, ""));
        send(l, event("e4", "2026-12-01T00:00:04Z", "push", "team/app", "1", app2, OCI));
        assertThat(l.resolve(registry.host() + "/team/app:1")).isEmpty();
        assertThat(l.affected(baseRef)).extracting(Lineage.Affected::manifest).containsExactlyInAnyOrder(app.toString(), app2.toString());
        assertThat(l.affected(baseRef)).allSatisfy(a -> assertThat(a.tags()).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void receive_unreadableManifests_skippedWithReasonNothingHalfApplied(String kind) throws Exception {
        Lineage l = start(kind);
        Digest noConfig = registry.imageWithConfig(Digest.sha256(new byte[] {1}), List.of("l1"), Map.of());
        Digest artifact = registry.put("application/vnd.oci.image.manifest.v1+json", "{\"mediaType\": \"application/vnd.cncf.helm.chart\"}");
        Digest failing = registry.image("amd64", List.of("l9"), Map.of());
        registry.failing.put(failing.toString(), 500);
        Lineage.Receipt r = send(l, event("m1", "2026-12-01T00:00:01Z", "push", "a/b", "1", noConfig, OCI),
                event("m2", "2026-12-01T00:00:01Z", "push", "a/c", "1", artifact, OCI),
                event("m3", "2026-12-01T00:00:01Z", "push", "a/d", "1", failing, OCI),
                event("m4", "2026-12-01T00:00:01Z", "push", "a/e", "1", failing, "application/octet-stream"));
        assertThat(r.applied()).isZero();
        assertThat(r.skipped()).hasSize(2);
        assertThat(r.skipped().get(0)).contains("event m1", "no such manifest or blob (404)");
        assertThat(r.skipped().get(1)).contains("event m2", "media type 'application/vnd.cncf.helm.chart'");
        // A registry answering 500 is asked again: the envelope stops there (m4 waits) and is to be sent again.
        assertThat(r.unavailable()).contains("event m3", "answered 500");
        assertThat(r.ignored()).isZero();
        assertThat(l.size()).isZero();
        registry.failing.clear();
        Lineage.Receipt again = send(l, event("m3", "2026-12-01T00:00:01Z", "push", "a/d", "1", failing, OCI),
                event("m4", "2026-12-01T00:00:01Z", "push", "a/e", "1", failing, "application/octet-stream"));
        assertThat(again).isEqualTo(new Lineage.Receipt(1, 0, 1, List.of(), ""));
        assertThat(l.size()).isEqualTo(1);
        assertThat(audited).extracting(AuditEvent::detail).anySatisfy(d -> assertThat(d).startsWith(
                "applied=0 duplicates=0 ignored=0 skipped=2 waiting: event m3"));
    }

    @ParameterizedTest
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void ban_onOneReplica_otherReplicasCheckDeniesEveryDescendantAndAStartKnowsIt(String kind) throws Exception {
        Lineage writer = start(kind);
        Lineage replica = start(kind);
        Digest base = registry.image("amd64", List.of("l1"), Map.of());
        Digest app = registry.image("amd64", List.of("l1", "l2"), Map.of(ImageNode.BASE_DIGEST, base.toString()));
        send(writer, event("b1", "2026-12-01T00:00:01Z", "push", "base/os", "1.0", base, OCI),
                event("b2", "2026-12-01T00:00:02Z", "push", "team/app", "1", app, OCI));
        Lineage.PreparedBan ban = writer.prepareBan(registry.host() + "/base/os:1.0", "", "", "", "bad libc",
                List.of("CVE-2026-4242"), "ops", Optional.empty());
        writer.ban(ban);
        PolicyCheck onReplica = replica.contributions(PolicyCheck.CONTRIBUTION).get(0);
        assertThat(onReplica.check(input(registry.host() + "/team/app:1"))).isInstanceOf(PolicyCheck.Pass.class);
        // The replica's follower catches up when PostgreSQL notifies it (or every 5 s): here, by hand.
        assertThat(feeds.get(1).catchUp()).isTrue();
        Lineage later = start(kind);   // a serve started later on the same store
        for (Lineage l : List.of(replica, later)) {
            PolicyCheck.Result r = l.contributions(PolicyCheck.CONTRIBUTION).get(0).check(input(registry.host() + "/team/app:1"));
            assertThat(r).isInstanceOfSatisfying(PolicyCheck.Deny.class, d -> {
                assertThat(d.code().name()).isEqualTo("BANNED");
                assertThat(d.message()).contains("built on " + registry.host() + "/base/os:1.0@" + base, "bad libc (CVE-2026-4242)");
            });
            assertThat(l.affected(registry.host() + "/base/os:1.0")).singleElement()
                    .satisfies(a -> assertThat(a.foundBy()).isEqualTo("annotation"));
        }
        assertThat(writer.unban(ban.view().id(), "ops")).isTrue();
        assertThat(feeds.get(1).catchUp()).isTrue();
        assertThat(onReplica.check(input(registry.host() + "/team/app:1"))).isInstanceOf(PolicyCheck.Pass.class);
    }

    private static PolicyCheck.Input input(String image) {
        BinauthzPolicy p = BinauthzPolicy.parse("defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, "
                + "enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n", "policy");
        return new PolicyCheck.Input(image, p, p.select(EvaluationContext.none()), EvaluationContext.none());
    }
}
