package dev.portcullis.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Keeps the embedded H2 file near the size of what it holds. With {@code WRITE_DELAY=0} (every commit
 * on disk before it is answered) H2 runs no background writer, and the writer is what rewrites chunks
 * that are mostly garbage: without it the file grew by ten times what it held. This does that work
 * every second, on a daemon thread of its own.
 */
final class H2Compaction implements AutoCloseable {
    // Chunks less full than this are rewritten; at most this many bytes per run, so a run stays short.
    private static final int TARGET_FILL_RATE = 80;
    private static final int BYTES_PER_RUN = 16 << 20;

    private final ScheduledExecutorService timer;

    private H2Compaction(MVStore store) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portcullis-h2-compaction");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> compact(store), 1, 1, TimeUnit.SECONDS);
    }

    /** Starts compacting the H2 file store behind {@code ds}. */
    static H2Compaction start(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            return new H2Compaction(session.getDatabase().getStore().getMvStore());
        }
    }

    private static void compact(MVStore store) {
        try {
            if (!store.isClosed()) {
                store.compact(TARGET_FILL_RATE, BYTES_PER_RUN);
            }
        } catch (RuntimeException e) {
            // A failed run leaves the file as it was: larger, never wrong. The next run tries again.
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
