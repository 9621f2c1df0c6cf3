package dev.portcullis.attest;

import dev.portcullis.image.Digest;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Removes the attestations of digests retention let go, with their entries, in one transaction that
 * also puts the removal on the change feed (kind {@link AttestationChanges#REMOVAL}), so every replica
 * drops the same entries. Only the rows stored at the times the index names are read (by the
 * {@code attestations_created} index), never the whole table.
 */
final class RetentionRows {
    private RetentionRows() {}

    /** What one removal took away: the digests and how many attestation rows (one per signature). */
    record Removed(List<Digest> digests, int attestations) {}

    /** As {@link #remove}, on a connection of its own; a refusal of the store is a {@code StoreException}, with nothing removed. */
    static Removed remove(Database db, List<AttestationIndex.Stale> stale, long beforeMicros, ChangeFeed feed,
                          Consumer<Removed> beforeCommit) {
        try (Connection c = db.connection()) {
            return remove(c, stale, beforeMicros, feed, beforeCommit);
        } catch (SQLException e) {
            throw new dev.portcullis.store.StoreException("the store refused the removal: " + e.getMessage(), e);
        }
    }

    /**
     * Removes these digests' attestations stored before {@code beforeMicros}; all or nothing (an
     * exception leaves every row in place). Their attestors' rows are locked first, as an ingest locks
     * them: a deletion of one waits, or went first and its rows are gone already. {@code beforeCommit}
     * is given what is about to go, e.g. to audit it: when it throws, nothing goes.
     */
    static Removed remove(Connection c, List<AttestationIndex.Stale> stale, long beforeMicros, ChangeFeed feed,
                          Consumer<Removed> beforeCommit) throws SQLException {
        Set<List<Long>> gone = new HashSet<>();
        TreeSet<Long> times = new TreeSet<>();
        TreeSet<String> attestors = new TreeSet<>();   // one order for every remover: no two wait on each other
        for (AttestationIndex.Stale s : stale) {
            gone.add(words(s.key()));
            Arrays.stream(s.micros()).forEach(times::add);
            attestors.addAll(s.attestors());
        }
        c.setAutoCommit(false);
        Set<Digest> digests = new LinkedHashSet<>();
        int rows = 0;
        try {
            for (String attestor : attestors) {
                AttestorRows.lock(c, attestor);   // false: deleted, with its rows
            }
            try (PreparedStatement find = c.prepareStatement("SELECT id, digest FROM attestations WHERE created_at = ?");
                 PreparedStatement drop = c.prepareStatement("DELETE FROM attestations WHERE id = ?")) {
                for (long micros : times) {
                    find.setTimestamp(1, Timestamp.from(Instant.EPOCH.plus(micros, ChronoUnit.MICROS)));
                    try (ResultSet rs = find.executeQuery()) {
                        while (rs.next()) {
                            Digest d = Digest.parse(rs.getString(2));
                            if (gone.contains(words(AttestationIndex.key(d)))) {
                                drop.setLong(1, rs.getLong(1));
                                drop.addBatch();
                                digests.add(d);
                                rows++;
                            }
                        }
                    }
                }
                drop.executeBatch();
            }
            // The entries name every digest the index held, even one whose attestation rows were gone already.
            digests.addAll(AttestationEntryRows.without(c, times, key -> gone.contains(words(key))));
            if (!digests.isEmpty()) {
                feed.append(c, AttestationChanges.REMOVAL, digests.stream().map(d -> AttestationChanges.removalChange(d,
                        beforeMicros)).toList());
            }
            beforeCommit.accept(new Removed(List.copyOf(digests), rows));
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
        // Not in the try above: a failed commit may have taken effect, so it is neither rolled back nor run again.
        Database.commit(c);
        return new Removed(List.copyOf(digests), rows);
    }

    private static List<Long> words(long[] key) {
        List<Long> out = new ArrayList<>(key.length);
        for (long w : key) {
            out.add(w);
        }
        return out;
    }
}
