package dev.portcullis.lineage;

import dev.portcullis.image.Digest;
import dev.portcullis.image.ImageConfig;
import dev.portcullis.image.Manifest;
import dev.portcullis.image.RegistryException;
import dev.portcullis.store.Change;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lineage in the store: the manifests and configs read, what each repository holds (with the time of the
 * event that set it, so events are safe out of order), the ids of events applied, the bans. Every write
 * appends a change ({@code lineage.repository} naming the repository, {@code lineage.ban} the ban), which
 * every replica applies by reading just that repository's or ban's rows into {@link LineageState}.
 */
final class LineageStore {
    static final String REPOSITORY = "lineage.repository";
    static final String BAN = "lineage.ban";
    /** How long an applied event's id is kept to recognise it sent again. */
    static final java.time.Duration EVENT_IDS_KEPT = java.time.Duration.ofDays(7);
    private static final System.Logger LOG = System.getLogger(LineageStore.class.getName());

    /** A blob to keep: a manifest or a config, as the registry served it. */
    record Blob(Digest digest, String mediaType, byte[] content) {}

    /** A change to one name of a repository: what it holds from {@code at} on ({@code null}: nothing). */
    record Hold(String name, Digest digest, Instant at) {}

    private final Database db;
    private final ChangeFeed feed;
    private final Clock clock;
    private final LineageState state;
    private volatile Instant lastPrune = Instant.EPOCH;

    LineageStore(Database db, ChangeFeed feed, Clock clock, LineageState state) {
        this.db = db;
        this.feed = feed;
        this.clock = clock;
        this.state = state;
        feed.subscribe(REPOSITORY, (c, changes) -> {
            for (String repo : changes.stream().map(Change::key).distinct().toList()) {
                loadRepository(c, repo);
            }
            state.publish();
        }, this::loadAll);
        feed.subscribe(BAN, (c, changes) -> {
            for (String id : changes.stream().map(Change::key).distinct().toList()) {
                loadBan(c, id);
            }
            state.publish();
        }, this::loadAll);
        try (Connection c = db.connection()) {
            loadAll(c);
        } catch (SQLException e) {
            throw new StoreException("cannot read the image lineage: " + e.getMessage(), e);
        }
    }

    /** One event to apply (a sync's reading of a repository: {@code eventId} null). */
    record Write(String eventId, String repository, List<Blob> blobs, List<Hold> holds, boolean deleteTagsOf) {}

    /** Which of these event ids were applied already. */
    Set<String> applied(List<String> eventIds) {
        Set<String> out = new java.util.HashSet<>();
        if (eventIds.isEmpty()) {
            return out;
        }
        String marks = String.join(",", java.util.Collections.nCopies(eventIds.size(), "?"));
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT id FROM lineage_events WHERE id IN ("
                + marks + ")")) {
            for (int i = 0; i < eventIds.size(); i++) {
                ps.setString(i + 1, eventIds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the registry events applied: " + e.getMessage(), e);
        }
    }

    /**
     * Applies events in one transaction (one commit for an envelope): each id noted, its blobs kept, each
     * name of a repository changed only if the event is newer than the one that set it last; then one
     * change per repository, applied to memory before this returns.
     */
    void apply(List<Write> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            db.inTransaction(c -> {
                pruneEventIds(c);
                for (Write ch : changes) {
                    apply(c, ch);
                }
                feed.append(c, REPOSITORY, changes.stream().map(Write::repository).distinct().toList());
            });
        } catch (SQLException e) {
            throw new StoreException("cannot store the registry events: " + e.getMessage(), e);
        }
        feed.catchUp();
    }

    // At most hourly: the ids of events older than EVENT_IDS_KEPT go, so that the table stays bounded.
    private void pruneEventIds(Connection c) throws SQLException {
        Instant now = clock.instant();
        if (now.isBefore(lastPrune.plus(java.time.Duration.ofHours(1)))) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM lineage_events WHERE received_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(now.minus(EVENT_IDS_KEPT)));
            ps.executeUpdate();
        }
        lastPrune = now;
    }

    private void apply(Connection c, Write ch) throws SQLException {
        if (ch.eventId() != null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO lineage_events (id, received_at) VALUES (?, ?)")) {
                ps.setString(1, ch.eventId());
                ps.setTimestamp(2, Timestamp.from(clock.instant()));
                ps.executeUpdate();
            }
        }
        for (Blob b : ch.blobs()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO lineage_blobs (digest, media_type, content, stored_at) "
                    + "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM lineage_blobs WHERE digest = ?)")) {
                ps.setString(1, b.digest().toString());
                ps.setString(2, b.mediaType());
                ps.setString(3, new String(b.content(), StandardCharsets.UTF_8));
                ps.setTimestamp(4, Timestamp.from(clock.instant()));
                ps.setString(5, b.digest().toString());
                ps.executeUpdate();
            }
        }
        for (Hold h : ch.holds()) {
            hold(c, ch.repository(), h);
            if (ch.deleteTagsOf() && h.digest() == null) {
                // The registry drops the tags of a manifest deleted by digest, and says nothing of them.
                for (String tag : tagsOf(c, ch.repository(), Digest.parse(h.name().substring(1)))) {
                    hold(c, ch.repository(), new Hold(tag, null, h.at()));
                }
            }
        }
    }

    private static void hold(Connection c, String repository, Hold h) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE lineage_holdings SET digest = ?, event_at = ? "
                + "WHERE repository = ? AND name = ? AND event_at < ?")) {
            up.setString(1, h.digest() == null ? null : h.digest().toString());
            up.setTimestamp(2, Timestamp.from(h.at()));
            up.setString(3, repository);
            up.setString(4, h.name());
            up.setTimestamp(5, Timestamp.from(h.at()));
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO lineage_holdings (repository, name, digest, event_at) "
                + "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM lineage_holdings WHERE repository = ? AND name = ?)")) {
            ins.setString(1, repository);
            ins.setString(2, h.name());
            ins.setString(3, h.digest() == null ? null : h.digest().toString());
            ins.setTimestamp(4, Timestamp.from(h.at()));
            ins.setString(5, repository);
            ins.setString(6, h.name());
            ins.executeUpdate();
        }
    }

    private static List<String> tagsOf(Connection c, String repository, Digest d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM lineage_holdings WHERE repository = ? AND digest = ? "
                + "AND name NOT LIKE '@%'")) {
            ps.setString(1, repository);
            ps.setString(2, d.toString());
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        }
    }

    /** Stores a ban (its change reaches every replica's memory). */
    void ban(Ban b) {
        write(b.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO lineage_bans (id, digest, repository, versions, reason, cves, "
                    + "created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, b.id());
                ps.setString(2, b.target() instanceof Ban.Target.ByDigest d ? d.digest().toString() : null);
                ps.setString(3, b.target() instanceof Ban.Target.ByRange r ? r.repository() : null);
                ps.setString(4, b.target() instanceof Ban.Target.ByRange r ? r.versions().text() : null);
                ps.setString(5, b.reason());
                ps.setString(6, String.join(",", b.cves()));
                ps.setString(7, b.by());
                ps.setTimestamp(8, Timestamp.from(b.at()));
                ps.setTimestamp(9, b.expires().equals(Instant.MAX) ? null : Timestamp.from(b.expires()));
                ps.executeUpdate();
            }
        });
    }

    /** Lifts a ban; whether there was one in force by that id. */
    boolean lift(String id, String by) {
        boolean[] found = {false};
        write(id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE lineage_bans SET lifted_at = ?, lifted_by = ? WHERE id = ? "
                    + "AND lifted_at IS NULL")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setString(2, by);
                ps.setString(3, id);
                found[0] = ps.executeUpdate() > 0;
            }
        });
        return found[0];
    }

    private void write(String banId, dev.portcullis.store.SqlWork work) {
        try {
            feed.write(BAN, banId, work);
        } catch (SQLException e) {
            throw new StoreException("cannot store the ban: " + e.getMessage(), e);
        }
    }

    private void loadAll(Connection c) throws SQLException {
        state.clear();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT DISTINCT repository FROM lineage_holdings")) {
            while (rs.next()) {
                loadRepository(c, rs.getString(1));
            }
        }
        try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM lineage_bans WHERE lifted_at IS NULL")) {
            while (rs.next()) {
                loadBan(c, rs.getString(1));
            }
        }
        state.publish();
    }

    private void loadRepository(Connection c, String repository) throws SQLException {
        Map<String, Digest> names = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, digest FROM lineage_holdings WHERE repository = ? "
                + "AND digest IS NOT NULL")) {
            ps.setString(1, repository);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getString(1), Digest.parse(rs.getString(2)));
                }
            }
        }
        for (Digest d : Set.copyOf(names.values())) {
            loadManifest(c, d);
        }
        state.hold(repository, names);
    }

    // An index with its children, an image with its config: read once, kept (content never changes).
    private void loadManifest(Connection c, Digest d) throws SQLException {
        if (state.knows(d)) {
            return;
        }
        Blob b = blob(c, d);
        if (b == null) {
            return;
        }
        try {
            switch (Manifest.parse(d, b.mediaType(), b.content())) {
                case Manifest.Index i -> {
                    for (Manifest.Child child : i.children()) {
                        loadManifest(c, child.digest());
                    }
                    state.putIndex(i);
                }
                case Manifest.Image m -> {
                    Blob config = blob(c, m.config());
                    if (config != null) {
                        ImageConfig ic = ImageConfig.parse(config.content());
                        state.putImage(new ImageNode(d, ic.platform(), m.layers(), m.annotations(), ic.labels(), ic.created()));
                    }
                }
            }
        } catch (RegistryException e) {
            LOG.log(System.Logger.Level.WARNING, "lineage: stored manifest " + d + " is skipped: " + e.getMessage());
        }
    }

    private static Blob blob(Connection c, Digest d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT media_type, content FROM lineage_blobs WHERE digest = ?")) {
            ps.setString(1, d.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Blob(d, rs.getString(1), rs.getString(2).getBytes(StandardCharsets.UTF_8)) : null;
            }
        }
    }

    private void loadBan(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT digest, repository, versions, reason, cves, created_by, created_at, "
                + "expires_at FROM lineage_bans WHERE id = ? AND lifted_at IS NULL")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    state.removeBan(id);
                    return;
                }
                Ban.Target t = rs.getString(1) != null ? new Ban.Target.ByDigest(Digest.parse(rs.getString(1)))
                        : new Ban.Target.ByRange(rs.getString(2), VersionRange.parse(rs.getString(3)));
                String cves = rs.getString(5);
                Timestamp expires = rs.getTimestamp(8);
                state.putBan(new Ban(id, t, rs.getString(4), cves.isEmpty() ? List.of() : Arrays.asList(cves.split(",")),
                        rs.getString(6), rs.getTimestamp(7).toInstant(), expires == null ? Instant.MAX : expires.toInstant()));
            }
        }
    }
}
