package dev.portcullis.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The change feed of the store ({@code change_log}): writers append a change in the transaction that
 * makes it; {@link #catchUp} hands every change after the last one applied to the handler subscribed to
 * its kind, in sequence order. The same path serves this replica's own writes (caught up right after
 * their commit) and every other replica's (woken by {@link ChangeFollower}). Kinds are strings owned by
 * the capabilities that publish them: a new capability subscribes to its own without changing this class.
 * Entries older than {@code store.change_log_max_age} are pruned; a replica further behind than that
 * reloads whole what it follows instead of missing changes.
 */
public final class ChangeFeed {
    /** The PostgreSQL channel a commit that appended changes notifies, with the newest seq as payload. */
    public static final String CHANNEL = "portcullis_changes";
    private static final System.Logger LOG = System.getLogger(ChangeFeed.class.getName());
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final int MAX_KEY = 2048;
    private static final int BATCH = 500;

    private final Database db;
    private final Clock clock;
    private final Map<String, ChangeHandler> handlers = new ConcurrentHashMap<>();
    private final List<StateReload> reloads = new CopyOnWriteArrayList<>();
    // One applier at a time: changes reach memory in sequence order, whoever triggers the catch-up.
    private final ReentrantLock applying = new ReentrantLock();
    private volatile long applied;
    private volatile long newestSeen;
    private volatile Instant lastCatchUp;
    private volatile String problem = "";
    private volatile boolean follower = true;

    private ChangeFeed(Database db, Clock clock, long head) {
        this.db = db;
        this.clock = clock;
        this.applied = head;
        this.newestSeen = head;
        this.lastCatchUp = clock.instant();
    }

    /**
     * Opens the feed at the newest change stored now: state loaded after this call is at least as new,
     * and the changes after it are applied (again, harmlessly) by the first catch-up.
     */
    public static ChangeFeed open(Database db, Clock clock) {
        try (Connection c = db.connection();
             ResultSet rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(seq), 0) FROM change_log")) {
            rs.next();
            return new ChangeFeed(db, clock, rs.getLong(1));
        } catch (SQLException e) {
            throw new StoreException("cannot read the change feed: " + e.getMessage(), e);
        }
    }

    /**
     * Hands changes of {@code kind} to {@code handler} from now on; one handler per kind. When changes
     * this replica had not applied were pruned, {@code reload} is called instead (once, however many
     * kinds it was given with: a capability passes the same one for all its kinds).
     */
    public void subscribe(String kind, ChangeHandler handler, StateReload reload) {
        requireKind(kind);
        Objects.requireNonNull(reload, "reload");
        if (handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalStateException("change kind " + kind + " already has a handler");
        }
        if (reloads.stream().noneMatch(r -> r == reload)) {
            reloads.add(reload);
        }
    }

    /**
     * Runs {@code work} and appends the change it makes, in one transaction, then catches up so that
     * this replica's memory holds the change when the call returns ({@link Database#inTransaction}: once
     * more on a new connection if the store closed this one before the commit). The work's SQL errors
     * are thrown as they are; returns whether the catch-up after the commit succeeded (when not, the
     * change is stored and reaches memory at the follower's next catch-up).
     */
    public boolean write(String kind, String key, SqlWork work) throws SQLException {
        // Run again once on a new connection when the store closed this one before the commit (a restart).
        db.inTransaction(c -> {
            work.run(c);
            append(c, kind, List.of(key));
        });
        return catchUp();
    }

    /**
     * Appends changes in the caller's transaction (auto-commit off). They count from its commit: on
     * PostgreSQL the commit also notifies {@value #CHANNEL}; a rolled-back transaction leaves a gap in
     * the sequence, which readers step over.
     */
    public void append(Connection c, String kind, List<String> keys) throws SQLException {
        requireKind(kind);
        if (c.getAutoCommit()) {
            throw new IllegalStateException("changes are appended in the transaction that makes them");
        }
        // The writer row's lock is held to the commit: seqs become visible in the order they were taken.
        try (PreparedStatement turn = c.prepareStatement("UPDATE change_log_writer SET appends = appends + 1 WHERE id = 1")) {
            turn.executeUpdate();
        }
        Timestamp now = Timestamp.from(clock.instant());
        long last = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_log (kind, change_key, changed_at) VALUES (?, ?, ?)",
                new String[] {"seq"})) {
            for (String key : keys) {
                if (key.length() > MAX_KEY) {
                    throw new IllegalArgumentException("a change key holds at most " + MAX_KEY + " characters");
                }
                ps.setString(1, kind);
                ps.setString(2, key);
                ps.setTimestamp(3, now);
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    if (rs.next()) {
                        last = rs.getLong(1);
                    }
                }
            }
        }
        if (db.isPostgres()) {
            // NOTIFY in a transaction is delivered at its commit, and only if it commits.
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, CHANNEL);
                ps.setString(2, Long.toString(last));
                ps.execute();
            }
        }
    }

    /**
     * Applies every stored change after the last one applied. Never throws: a store that does not
     * answer, or a handler that fails, leaves the feed where it was (it retries from there next time)
     * and shows in {@link #status}. Returns whether the feed reached the newest change.
     */
    public boolean catchUp() {
        applying.lock();
        try {
            try (Connection c = db.connection()) {
                while (true) {
                    List<Change> batch = after(c, applied);
                    if (batch.isEmpty()) {
                        break;
                    }
                    // Read after the batch: a pruning that removed changes before it shows here.
                    if (batch.get(0).seq() > applied + 1 && ChangeLogPruner.oldest(c) > applied) {
                        reloadAll(c);
                        continue;
                    }
                    noteSeen(batch.get(batch.size() - 1).seq());
                    applyRuns(c, batch);
                }
            }
            lastCatchUp = clock.instant();
            healthy();
            return true;
        } catch (SQLException | RuntimeException e) {
            failed("the change feed could not catch up: " + e.getMessage());
            return false;
        } finally {
            applying.unlock();
        }
    }

    // Changes after `applied` were pruned (or, rarely, rolled back just there): everything is read again,
    // at least as new as the newest seq read first; the changes after it are applied again, harmlessly.
    private void reloadAll(Connection c) throws SQLException {
        long head;
        try (ResultSet rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(seq), 0) FROM change_log")) {
            rs.next();
            head = rs.getLong(1);
        }
        LOG.log(System.Logger.Level.WARNING, "change feed: changes after seq " + applied + " were pruned before this replica "
                + "applied them (store.change_log_max_age " + db.changeLogMaxAge() + "); reloading what it follows at seq " + head);
        for (StateReload r : reloads) {
            r.reloadAll(c);
        }
        noteSeen(head);
        applied = head;
    }

    /**
     * Deletes the entries older than {@code store.change_log_max_age}, keeping the newest; the follower
     * calls this every quarter of that age (at most every ten minutes). Returns how many went.
     */
    public int prune() {
        try (Connection c = db.connection()) {
            return ChangeLogPruner.prune(c, clock.instant().minus(db.changeLogMaxAge()));
        } catch (SQLException e) {
            throw new StoreException("cannot prune the change feed: " + e.getMessage(), e);
        }
    }

    // Consecutive changes of one kind go to their handler in one call; a kind nobody here subscribed
    // to (a newer replica's) is stepped over.
    private void applyRuns(Connection c, List<Change> batch) throws SQLException {
        int from = 0;
        while (from < batch.size()) {
            String kind = batch.get(from).kind();
            int to = from;
            while (to < batch.size() && batch.get(to).kind().equals(kind)) {
                to++;
            }
            ChangeHandler h = handlers.get(kind);
            if (h != null) {
                h.apply(c, List.copyOf(batch.subList(from, to)));
            }
            applied = batch.get(to - 1).seq();
            from = to;
        }
    }

    private static List<Change> after(Connection c, long seq) throws SQLException {
        List<Change> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, kind, change_key, changed_at FROM change_log WHERE seq > ? "
                + "ORDER BY seq FETCH FIRST " + BATCH + " ROWS ONLY")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    /** A newer change exists (a notification said so): how far behind this replica is. */
    void noteSeen(long seq) {
        if (seq > newestSeen) {
            newestSeen = seq;
        }
    }

    /** Whether the follower's connection to the store is up; the feed is not ready while it is not. */
    void following(boolean up, String why) {
        follower = up;
        if (!up) {
            failed(why);
        }
    }

    private void healthy() {
        if (!problem.isEmpty() && follower) {
            LOG.log(System.Logger.Level.INFO, "change feed: caught up again at seq " + applied);
            problem = "";
        }
    }

    private void failed(String why) {
        if (!why.equals(problem)) {
            LOG.log(System.Logger.Level.WARNING, why);
        }
        problem = why;
    }

    Database database() {
        return db;
    }

    /** Where this replica stands: for {@code /readyz}. */
    public FeedStatus status() {
        return new FeedStatus(applied, Math.max(applied, newestSeen), lastCatchUp, follower && problem.isEmpty(), problem);
    }

    private static void requireKind(String kind) {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("a change kind is 1 to 64 of a-z, 0-9, '_', '.', '-', starting with a letter");
        }
    }
}
