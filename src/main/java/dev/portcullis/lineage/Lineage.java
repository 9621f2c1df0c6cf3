package dev.portcullis.lineage;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.Secret;
import dev.portcullis.image.Digest;
import dev.portcullis.image.InvalidReferenceException;
import dev.portcullis.platform.Contribution;
import dev.portcullis.platform.Module;
import dev.portcullis.policy.PolicyCheck;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The started lineage capability: receives the registry's events, answers which images are built on a
 * base and what an image is built on, keeps the bans, and contributes the ban check to the policy.
 */
public final class Lineage implements Module {
    /** One image built on the base asked about: where it is held, its platform, depth and who owns it. */
    public record Affected(String repository, List<String> tags, String digest, String platform, String manifest, int depth,
                           String owner, String source, String revision, String parent, String foundBy) {}

    /** One step of an image's ancestry, base first: {@code foundBy} says how it is linked to the step above ("" for the root). */
    public record Step(String name, String manifest, String platform, String foundBy, String owner, String source, String revision) {}

    /** A ban as the API shows it. */
    public record BanView(String id, String target, String reason, List<String> cves, String by, Instant at, Optional<Instant> expires) {}

    /** A page of repositories ({@code registry/path}) and where the next starts ("" after the last). */
    public record Page(List<String> repositories, String next) {}

    /** What a sync of one repository did: its tags, the images read for the first time, what was skipped and why. */
    public record Synced(String repository, int tags, int read, List<String> skipped) {}

    /** A ban checked and not stored yet: what {@link #ban} stores. */
    public static final class PreparedBan {
        private final Ban ban;

        PreparedBan(Ban ban) {
            this.ban = ban;
        }

        public BanView view() {
            return Lineage.view(ban);
        }
    }

    /**
     * What one notification did: events applied, repeated, ignored, those skipped with the reason, and
     * why the rest waits ("" when nothing does: the registry did not answer, the envelope is to be sent again).
     */
    public record Receipt(int applied, int duplicates, int ignored, List<String> skipped, String unavailable) {}

    private final LineageSettings settings;
    private final LineageState state;
    private final LineageStore store;
    private final EventIngest ingest;
    private final RegistrySync sync;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Lineage(LineageSettings settings, LineageState state, LineageStore store, EventIngest ingest, RegistrySync sync, AuditLog audit,
            Clock clock) {
        this.settings = settings;
        this.state = state;
        this.store = store;
        this.ingest = ingest;
        this.sync = sync;
        this.audit = audit;
        this.clock = clock;
    }

    /** The header the registry's notifications carry the secret in. */
    public String eventsHeader() {
        return settings.eventsHeader();
    }

    /** Whether notifications are received (a secret is configured). */
    public boolean receivesEvents() {
        return settings.receivesEvents();
    }

    /** Whether a notification's header value carries the secret (as {@code Bearer <secret>} or bare), in constant time. */
    public boolean admits(String headerValue) {
        if (headerValue == null || !settings.receivesEvents()) {
            return false;
        }
        String v = headerValue.regionMatches(true, 0, "Bearer ", 0, 7) ? headerValue.substring(7).strip() : headerValue.strip();
        Secret s = settings.eventsSecret();
        return s.matches(v);
    }

    /** A notification refused for its credential, audited. */
    public void refused(String clientIp, String why) {
        audit.record(new AuditEvent(clock.instant(), "lineage", "registry_events", "registry", clientIp, "notification", "deny",
                why, ""));
    }

    /** Reads and applies one notification envelope; audited as one record. A body that is no envelope is a {@link LineageException}. */
    public Receipt receive(byte[] body, String clientIp) {
        EventEnvelope envelope = EventEnvelope.parse(body);
        EventIngest.Receipt r = ingest.apply(envelope);
        if (r.applied() == 0 && r.skipped().isEmpty() && r.unavailable().isEmpty()) {
            // Pulls (lineage's own reads among them), blob pushes and repeats change nothing: no record.
            return new Receipt(0, r.duplicates(), r.ignored(), List.of(), "");
        }
        audit.record(new AuditEvent(clock.instant(), "lineage", "registry_events", "registry", clientIp,
                envelope.events().size() + envelope.skipped().size() + " events", "allow", "events secret",
                "applied=" + r.applied() + " duplicates=" + r.duplicates() + " ignored=" + r.ignored() + " skipped=" + r.skipped().size()
                + (r.unavailable().isEmpty() ? "" : " waiting: " + r.unavailable())));
        return new Receipt(r.applied(), r.duplicates(), r.ignored(), r.skipped(), r.unavailable());
    }

    /** A page of the catalog of a registry of {@code lineage.registries}, after {@code last} ("" first). */
    public Page catalog(String registry, String last) {
        requireRegistry(registry);
        dev.portcullis.image.RegistryClient.Page p = sync.catalog(registry, last);
        return new Page(p.items().stream().map(r -> registry + "/" + r).toList(), p.next());
    }

    /** Reads what a repository ({@code registry/path}) holds now, as pushes are read; tags it no longer has are deleted. */
    public Synced sync(String repository) {
        dev.portcullis.image.ImageReference ref;
        try {
            ref = dev.portcullis.image.ImageReference.parse(repository);
        } catch (InvalidReferenceException e) {
            throw new LineageException("repository '" + repository + "': " + e.getMessage());
        }
        requireRegistry(ref.registry());
        RegistrySync.Result r = sync.repository(ref.name());
        return new Synced(ref.name(), r.tags(), r.read(), r.skipped());
    }

    private void requireRegistry(String registry) {
        if (!settings.registries().contains(registry)) {
            throw new LineageException("registry " + registry + " is not one of lineage.registries");
        }
    }

    /** The known images a reference names (an index: each platform); empty when lineage knows none. */
    public List<String> resolve(String reference) {
        return state.index().resolve(reference).stream().map(Digest::toString).toList();
    }

    /** Every image built on the images {@code base} names, one row per image and repository holding it. */
    public List<Affected> affected(String base) {
        LineageIndex ix = state.index();
        List<Affected> out = new ArrayList<>();
        ix.descendants(ix.resolve(base)).forEach((d, depth) -> {
            ImageNode n = ix.node(d).orElseThrow();
            LineageIndex.Edge e = ix.parent(d).orElseThrow();
            for (LineageIndex.Placement p : ix.placements(d)) {
                out.add(new Affected(p.repository(), p.tags(), p.held().toString(), n.platform().toString(), d.toString(), depth,
                        ix.owner(n), n.meta(ImageNode.SOURCE), n.meta(ImageNode.REVISION), e.parent().toString(),
                        e.foundBy().name().toLowerCase(java.util.Locale.ROOT)));
            }
        });
        out.sort(Comparator.comparingInt(Affected::depth).thenComparing(Affected::repository).thenComparing(Affected::platform));
        return out;
    }

    /** The ancestry of each platform of {@code image}, base first; empty when lineage does not know it. */
    public List<List<Step>> tree(String image) {
        LineageIndex ix = state.index();
        List<List<Step>> out = new ArrayList<>();
        for (Digest d : ix.resolve(image)) {
            List<Step> steps = new ArrayList<>();
            List<LineageIndex.Edge> edges = ix.ancestry(d);
            Digest root = edges.isEmpty() ? d : edges.get(0).parent();
            steps.add(step(ix, root, ""));
            edges.forEach(e -> steps.add(step(ix, e.child(), e.foundBy().name().toLowerCase(java.util.Locale.ROOT))));
            out.add(List.copyOf(steps));
        }
        return out;
    }

    private static Step step(LineageIndex ix, Digest d, String foundBy) {
        ImageNode n = ix.node(d).orElseThrow();
        return new Step(ix.name(d), d.toString(), n.platform().toString(), foundBy, ix.owner(n), n.meta(ImageNode.SOURCE),
                n.meta(ImageNode.REVISION));
    }

    /**
     * Checks a ban before it is recorded: by {@code digest} (or the digest {@code image}'s tag holds now),
     * or a {@code repository} with a {@code versions} range. Nothing is stored: {@link #ban} does.
     */
    public PreparedBan prepareBan(String image, String digest, String repository, String versions, String reason, List<String> cves,
                              String by, Optional<Instant> expires) {
        Ban.Target target;
        try {
            if (!digest.isEmpty()) {
                target = new Ban.Target.ByDigest(Digest.parse(digest));
            } else if (!image.isEmpty()) {
                dev.portcullis.image.ImageReference ref = dev.portcullis.image.ImageReference.parse(image);
                Optional<Digest> held = ref.digestOptional().or(() -> Optional.ofNullable(state.index().heldBy(ref)));
                target = new Ban.Target.ByDigest(held.orElseThrow(() -> new LineageException("image " + image
                        + " is not known to lineage: ban it by digest, or push it first")));
            } else if (!repository.isEmpty()) {
                dev.portcullis.image.ImageReference ref = dev.portcullis.image.ImageReference.parse(repository);
                if (ref.tagOptional().isPresent() || ref.digestOptional().isPresent()) {
                    throw new LineageException("repository " + repository + " names a tag or digest: give the name alone");
                }
                target = new Ban.Target.ByRange(ref.name(), VersionRange.parse(versions));
            } else {
                throw new LineageException("a ban names an image, a digest, or a repository with versions");
            }
        } catch (InvalidReferenceException e) {
            throw new LineageException(e.getMessage());
        }
        Instant now = clock.instant();
        byte[] id = new byte[6];
        random.nextBytes(id);
        Ban b = new Ban("ban-" + HexFormat.of().formatHex(id), target, reason, cves, by, now, expires.orElse(Instant.MAX));
        return new PreparedBan(b);
    }

    /** Stores a ban {@link #prepareBan} checked; it is in force on this replica when this returns, on the others within a second. */
    public void ban(PreparedBan b) {
        store.ban(b.ban);
    }

    /** Lifts a ban; false when none by that id is in force. */
    public boolean unban(String id, String by) {
        if (state.index().bans().stream().noneMatch(b -> b.id().equals(id))) {
            return false;
        }
        return store.lift(id, by);
    }

    /** The bans not lifted (expired ones too, until lifted), oldest first. */
    public List<BanView> bans() {
        return state.index().bans().stream().map(Lineage::view).toList();
    }

    private static BanView view(Ban b) {
        return new BanView(b.id(), b.targetText(), b.reason(), b.cves(), b.by(), b.at(),
                b.expires().equals(Instant.MAX) ? Optional.empty() : Optional.of(b.expires()));
    }

    /** How many platform images some repository holds now. */
    public int size() {
        return state.index().size();
    }

    @Override
    public <T> List<T> contributions(Contribution<T> kind) {
        if (kind.equals(PolicyCheck.CONTRIBUTION)) {
            return List.of(kind.type().cast(new BanCheck(state::index, clock)));
        }
        return List.of();
    }

}
