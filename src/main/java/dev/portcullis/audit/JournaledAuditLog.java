package dev.portcullis.audit;

import dev.portcullis.store.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The audit log of the embedded store. An event is durable once one append to a journal file in the
 * data directory holds it (one write for whatever has queued up); a mover copies the journal into the
 * {@code audit_events} table a few times a second, in large transactions, because a durable H2 commit
 * costs as much CPU as a hundred appends. A crash loses nothing: the next start copies whatever the
 * table lacks before anything else runs.
 */
public final class JournaledAuditLog implements AuditLog {
    private static final int HANDOFF = 65_536;
    private static final int MOVE_CHUNK = 2_000;
    private static final long MOVE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration WAIT = GroupWriter.WAIT;

    private final Database database;
    private final AuditJournal journal;
    private final BlockingQueue<AuditJournal.Entry> handoff = new ArrayBlockingQueue<>(HANDOFF);
    private final GroupWriter writer;
    private final Thread mover;
    private long nextSeq;                 // the writer's alone
    private volatile long journaledSeq;   // highest sequence number the journal holds
    private volatile long movedSeq;       // highest sequence number the table holds
    private volatile Exception moveFailure;
    private volatile boolean writerDone;
    private volatile boolean abandon;

    private JournaledAuditLog(Database database, AuditJournal journal, long lastSeq) {
        this.database = database;
        this.journal = journal;
        this.nextSeq = lastSeq + 1;
        this.journaledSeq = lastSeq;
        this.movedSeq = lastSeq;
        this.mover = Thread.ofPlatform().name("audit-mover").daemon().start(this::move);
        this.writer = new GroupWriter("audit-writer", this::journal, this::writerStopped);
    }

    /** Opens the journal in {@code dir}, first copying into the table whatever a crash left only in the journal. */
    public static JournaledAuditLog open(Database database, Path dir) {
        AuditJournal journal = new AuditJournal(dir);
        try {
            long moved = readMovedSeq(database);
            long highest = journal.replay(moved, MOVE_CHUNK, chunk -> store(database, chunk));
            journal.deleteAll();
            return new JournaledAuditLog(database, journal, Math.max(moved, highest));
        } catch (IOException | SQLException e) {
            journal.close();
            throw new AuditException("cannot open the audit journal " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    @Override
    public void record(AuditEvent event) {
        writer.record(event);
    }

    // One append for the whole batch; the sequence numbers are spent even when it fails, so that a
    // half-written line and the next batch never share one.
    private void journal(List<AuditEvent> batch) throws IOException, InterruptedException {
        awaitRoom(batch.size());
        List<AuditJournal.Entry> entries = new ArrayList<>(batch.size());
        for (AuditEvent e : batch) {
            entries.add(new AuditJournal.Entry(nextSeq++, e));
        }
        journal.append(entries);
        journaledSeq = nextSeq - 1;
        handoff.addAll(entries);
    }

    private void writerStopped() {
        journal.close();
        writerDone = true;
        LockSupport.unpark(mover);
    }

    // The table is the log's reader-facing half: when it falls too far behind (the store is down),
    // decisions wait here and then fail closed rather than pile up in memory.
    private void awaitRoom(int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (handoff.remainingCapacity() < n) {
            if (System.nanoTime() > deadline) {
                Exception why = moveFailure;
                throw new AuditException("the audit store is not keeping up"
                        + (why == null ? "" : ": " + why.getMessage()), why);
            }
            Thread.sleep(1);
        }
    }

    private void move() {
        List<AuditJournal.Entry> pending = new ArrayList<>();
        while (!abandon) {
            boolean finishing = writerDone;   // read first: whatever the writer handed off before is drained below
            handoff.drainTo(pending);
            if (!pending.isEmpty()) {
                try {
                    for (int from = 0; from < pending.size(); from += MOVE_CHUNK) {
                        List<AuditJournal.Entry> chunk = pending.subList(from, Math.min(pending.size(), from + MOVE_CHUNK));
                        store(database, chunk);
                        movedSeq = chunk.get(chunk.size() - 1).seq();
                    }
                    pending.clear();
                    moveFailure = null;
                    journal.deleteThrough(movedSeq);
                } catch (SQLException | IOException | RuntimeException e) {
                    pending.removeIf(entry -> entry.seq() <= movedSeq);
                    moveFailure = e;
                    LockSupport.parkNanos(RETRY_NANOS);
                    continue;
                }
            }
            if (finishing && handoff.isEmpty()) {
                return;
            }
            LockSupport.parkNanos(MOVE_EVERY_NANOS);
        }
    }

    private static void store(Database database, List<AuditJournal.Entry> chunk) throws SQLException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement mark = c.prepareStatement("UPDATE audit_journal SET moved_seq = ? WHERE id = 1")) {
                AuditRows.insert(c, chunk.stream().map(AuditJournal.Entry::event).toList());
                mark.setLong(1, chunk.get(chunk.size() - 1).seq());
                mark.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static long readMovedSeq(Database database) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT moved_seq FROM audit_journal WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the audit_journal table has no row 1");
            }
            return rs.getLong(1);
        }
    }

    /** The newest events first; waits until the table holds every event recorded before the call. */
    @Override
    public List<AuditEvent> recent(int limit) {
        long target = journaledSeq;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (movedSeq < target) {
            if (System.nanoTime() > deadline) {
                Exception why = moveFailure;
                throw new AuditException("the audit store has not caught up with the journal"
                        + (why == null ? "" : ": " + why.getMessage()), why);
            }
            LockSupport.unpark(mover);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuditException("interrupted while reading the audit log", e);
            }
        }
        return AuditRows.recent(database, limit);
    }

    /** Stops taking events, writes what is queued, and copies the journal into the table when the store allows. */
    @Override
    public void close() {
        writer.close();
        try {
            LockSupport.unpark(mover);
            mover.join(WAIT.toMillis());
            abandon = true;
            LockSupport.unpark(mover);
            mover.join(WAIT.toMillis());
            if (!writer.isAlive() && !mover.isAlive() && handoff.isEmpty() && movedSeq >= journaledSeq) {
                journal.deleteAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the segments stay; the next start finds their events in the table and skips them
        }
    }
}
