package dev.portcullis.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Keeps a replica's memory following the change feed, on a thread of its own. On PostgreSQL it
 * {@code LISTEN}s on a dedicated connection and catches up at every notification; after a dropped
 * connection or a restart of the store it reconnects, listens again, then catches up from its last
 * seq, so a notification missed meanwhile loses nothing. It also catches up every few seconds without
 * one, as it does on H2 (one process: its own writes are caught up as they commit), and prunes the
 * feed's old entries ({@code store.change_log_max_age}) every quarter of that age, at most every ten minutes.
 */
public final class ChangeFollower implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChangeFollower.class.getName());
    private static final int WAIT_MILLIS = 500;
    private static final Duration SAFETY_NET = Duration.ofSeconds(5);
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final ChangeFeed feed;
    private final Thread thread;
    private volatile boolean closed;
    private long nextPrune = System.nanoTime();

    private ChangeFollower(ChangeFeed feed) {
        this.feed = feed;
        this.thread = Thread.ofPlatform().daemon().name("portcullis-change-feed").unstarted(this::run);
    }

    /** Starts following; {@link #close} stops it. */
    public static ChangeFollower start(ChangeFeed feed) {
        ChangeFollower f = new ChangeFollower(feed);
        f.thread.start();
        return f;
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try {
                if (feed.database().isPostgres()) {
                    listen();
                } else {
                    poll();
                }
                backoff = 100;
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                feed.following(false, "the change feed lost the store: " + e.getMessage());
                pause(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private void listen() throws SQLException {
        try (Connection c = feed.database().dedicatedConnection()) {
            PGConnection pg = c.unwrap(PGConnection.class);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + ChangeFeed.CHANNEL);
            }
            feed.following(true, "");
            // Listening first: a change committed before LISTEN is read now, one after it is notified.
            long last = catchUpOrThrow();
            while (!closed) {
                PGNotification[] got = pg.getNotifications(WAIT_MILLIS);
                boolean woken = got != null && got.length > 0;
                if (woken) {
                    for (PGNotification n : got) {
                        seen(n.getParameter());
                    }
                }
                pruneIfDue();
                if (woken || System.nanoTime() - last > SAFETY_NET.toNanos()) {
                    // A half-open connection would wait for ever without a word: ask it every few seconds.
                    if (!woken && !c.isValid(2)) {
                        throw new SQLException("the LISTEN connection stopped answering");
                    }
                    last = catchUpOrThrow();
                }
            }
        }
    }

    private void poll() throws SQLException {
        feed.following(true, "");
        while (!closed) {
            catchUpOrThrow();
            pruneIfDue();
            pause(SAFETY_NET.toMillis());
        }
    }

    // A failed pruning costs nothing but room: it is logged and tried again at the next interval.
    private void pruneIfDue() {
        long now = System.nanoTime();
        if (now - nextPrune < 0) {
            return;
        }
        nextPrune = now + ChangeLogPruner.interval(feed.database().changeLogMaxAge()).toNanos();
        try {
            int deleted = feed.prune();
            if (deleted > 0) {
                LOG.log(System.Logger.Level.DEBUG, "change feed: pruned " + deleted + " entries");
            }
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
    }

    private long catchUpOrThrow() throws SQLException {
        if (!feed.catchUp()) {
            throw new SQLException(feed.status().problem());
        }
        return System.nanoTime();
    }

    private void seen(String payload) {
        try {
            feed.noteSeen(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            LOG.log(System.Logger.Level.DEBUG, "change feed: a notification without a seq");
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
