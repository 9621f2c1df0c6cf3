package dev.portcullis.platform;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What a capability is started with: the data directory, the migrated store, the change feed every
 * replica follows (publish and subscribe by kind), the audit log, the clock, and the contributions of
 * the capabilities started before it.
 */
public record StartContext(Path dataDir, Database database, ChangeFeed feed, AuditLog audit, Clock clock,
                           List<Module> startedBefore) {
    public StartContext {
        startedBefore = List.copyOf(startedBefore);
    }

    /** Every contribution of this kind, in the order the capabilities giving them were started. */
    public <T> List<T> contributed(Contribution<T> kind) {
        List<T> out = new ArrayList<>();
        for (Module m : startedBefore) {
            for (T t : m.contributions(kind)) {
                out.add(kind.type().cast(t));
            }
        }
        return List.copyOf(out);
    }
}
