package dev.portcullis.lineage;

import dev.portcullis.image.Digest;
import dev.portcullis.policy.PolicyCheck;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The policy's check for bans: an image built on a banned base (or banned itself) is denied, naming the
 * banned ancestor and the ban's reason; an index is denied when any of its platforms is. Reads the
 * lineage index in memory only; an image lineage does not know passes (the attestation check judges it).
 */
final class BanCheck implements PolicyCheck {
    /** This check's reason code. */
    enum Code implements ReasonCode { BANNED }

    private final Supplier<LineageIndex> index;
    private final Clock clock;

    BanCheck(Supplier<LineageIndex> index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    @Override
    public Result check(Input in) {
        LineageIndex ix = index.get();
        if (ix.bans().isEmpty()) {
            return new Pass("lineage", "no ban in force", Map.of());
        }
        List<Digest> members;
        try {
            members = ix.resolve(in.image());
        } catch (LineageException e) {
            return new Pass("lineage", "not an image lineage can read", Map.of());
        }
        for (Digest d : members) {
            Optional<LineageIndex.BanHit> hit = ix.banned(d, clock.instant());
            if (hit.isPresent()) {
                Ban b = hit.get().ban();
                String self = hit.get().ancestor().equals(d) ? "it is banned" : "it is built on " + hit.get().ancestorName() + ", banned";
                return new Deny("lineage ban " + b.id(), Code.BANNED, "Image " + in.image() + " denied: " + self + " by " + b.by()
                        + ": " + b.reason() + (b.cves().isEmpty() ? "" : " (" + String.join(", ", b.cves()) + ")"),
                        "rebuild it on a base that is not banned, or lift the ban (portcullis images unban " + b.id() + ")", Map.of());
            }
        }
        return new Pass("lineage", members.isEmpty() ? "not known to lineage" : "no banned ancestor", Map.of());
    }
}
