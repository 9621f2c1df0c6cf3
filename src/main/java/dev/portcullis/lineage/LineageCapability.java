package dev.portcullis.lineage;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.image.RegistryClient;
import dev.portcullis.platform.Capability;
import dev.portcullis.platform.StartContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Image lineage as a capability: the {@code lineage} section, its tables ({@code db/lineage}), the
 * index read from them at start and followed on the change feed, and the ban check it hands the policy
 * (so it starts before the policy capability).
 */
public final class LineageCapability implements Capability<LineageSettings, Lineage> {
    @Override
    public String name() {
        return "lineage";
    }

    @Override
    public Set<String> sections() {
        return Set.of("lineage");
    }

    @Override
    public List<String> migrations() {
        return List.of("classpath:db/lineage");
    }

    @Override
    public LineageSettings settings(ConfigSection root, Path dataDir) {
        return LineageSettings.from(root);
    }

    @Override
    public Lineage start(LineageSettings settings, StartContext context) {
        LineageState state = new LineageState(settings.ownerLabel());
        LineageStore store = new LineageStore(context.database(), context.feed(), context.clock(), state);
        RegistryClient registry = new RegistryClient(settings.insecure(), settings.credentials());
        EventIngest ingest = new EventIngest(store, state, registry, settings.registries());
        return new Lineage(settings, state, store, ingest, new RegistrySync(registry, ingest, store, state, context.clock()),
                context.audit(), context.clock());
    }
}
