package dev.portcullis.attest;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.image.Digest;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Retention of unasked attestations ({@code attestations.retention_unasked}): a pass removes, from the
 * store and the index of every replica, the attestations of digests that no policy evaluation asked
 * about and nobody attested within the window. The start counts as an ask (asks are kept in memory
 * only), so nothing goes earlier than the window after a start. Each pass that removes anything is
 * audited in the transaction that removes, before its commit: when the record cannot be written,
 * nothing is removed; when the store refuses the removal, everything stays and a record says so.
 */
public final class AttestationRetention {
    /** The most digests one pass removes: one transaction, one audit record. */
    public static final int MAX_PER_PASS = 1_000;
    private static final int LISTED = 40;
    private static final System.Logger LOG = System.getLogger(AttestationRetention.class.getName());

    private final Database db;
    private final ChangeFeed feed;
    private final AttestationStateRef state;
    private final AskedDigests asked;
    private final Duration window;
    private final Clock clock;
    private final AuditLog audit;

    /** What one pass did: how many digests and attestation rows it removed, and whether more may be waiting. */
    public record Pass(int digests, int attestations, boolean full) {}

    public AttestationRetention(Database db, ChangeFeed feed, AttestationStateRef state, AskedDigests asked, Duration window,
                                Clock clock, AuditLog audit) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a retention window is positive");
        }
        this.db = db;
        this.feed = feed;
        this.state = state;
        this.asked = asked;
        this.window = window;
        this.clock = clock;
        this.audit = audit;
    }

    /** The setting that decides, as the audit records name it. */
    public String rule() {
        return "attestations.retention_unasked " + ConfigSection.durationText(window);
    }

    /**
     * One pass: at most {@value #MAX_PER_PASS} digests. Throws (a {@code StoreException} or an
     * {@code AuditException}) with everything left in place when the store or the audit log refuses.
     */
    public Pass pass() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(window);
        long before = AttestationIndex.micros(cutoff);
        List<AttestationIndex.Stale> stale = state.get().index().stale(before, key -> asked.askedSince(key, cutoff), MAX_PER_PASS);
        if (stale.isEmpty()) {
            return new Pass(0, 0, false);
        }
        RetentionRows.Removed removed;
        try {
            removed = RetentionRows.remove(db, stale, before, feed, r -> {
                // Asked about while the pass read the store: nothing goes this pass, the next one decides again.
                if (stale.stream().anyMatch(s -> asked.askedSince(s.key(), cutoff))) {
                    throw new Reconsidered();
                }
                audit.record(event(now, cutoff, r));
            });
        } catch (Reconsidered again) {
            return new Pass(0, 0, true);
        } catch (RuntimeException e) {
            refused(now, cutoff, stale.size(), e);
            throw e;
        }
        List<AttestationIndex.Removal> gone = stale.stream().map(s -> new AttestationIndex.Removal(s.key(), before)).toList();
        if (!feed.catchUp()) {
            // Removed, but the catch-up failed: drop them here now. No older change brings them back:
            // each reloads its rows, and the rows are gone.
            state.update(s -> s.withoutDigests(gone));
        }
        asked.forget(stale.stream().map(AttestationIndex.Stale::key).toList());
        return new Pass(removed.digests().size(), removed.attestations(), stale.size() == MAX_PER_PASS);
    }

    // The removal was not made: the log says so (without the store's text), and the server's log says why.
    private void refused(Instant now, Instant cutoff, int digests, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "attestation retention: " + digests + " digest(s) kept, the removal failed: "
                + e.getMessage());
        if (e instanceof dev.portcullis.audit.AuditException) {
            return;   // the log cannot take the first record; a second would fail too
        }
        try {
            String why = e.getCause() instanceof dev.portcullis.store.UncertainCommitException
                    ? "the store's commit failed and may have taken effect: the change feed and a restart show which"
                    : "not removed: the store refused the removal, every attestation stays";
            audit.record(new AuditEvent(now, "attest", "retention", "", "", digests + " digest(s) neither asked about nor "
                    + "attested since " + cutoff, "error", rule(), why));
        } catch (RuntimeException unwritten) {
            LOG.log(System.Logger.Level.WARNING, "attestation retention: the refusal could not be audited: " + unwritten.getMessage());
        }
    }

    private AuditEvent event(Instant now, Instant cutoff, RetentionRows.Removed r) {
        List<Digest> ds = r.digests();
        String object = ds.stream().limit(LISTED).map(Digest::toString).collect(Collectors.joining(","))
                + (ds.size() > LISTED ? ",… (" + (ds.size() - LISTED) + " more)" : "");
        return new AuditEvent(now, "attest", "retention", "", "", object, "delete", rule(), ds.size()
                + " digest(s), " + r.attestations() + " attestation(s): neither asked about nor attested since " + cutoff);
    }

    /** An ask arrived while the pass was under way. */
    private static final class Reconsidered extends RuntimeException {
        Reconsidered() {
            super("asked about during the pass", null, false, false);
        }
    }
}
