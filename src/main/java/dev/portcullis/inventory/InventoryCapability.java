package dev.portcullis.inventory;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.platform.Capability;
import dev.portcullis.platform.StartContext;
import dev.portcullis.workload.Workloads;
import java.nio.file.Path;
import java.util.Set;

/** The host inventory as a capability: the {@code inventory} section and a refresh per set. */
public final class InventoryCapability implements Capability<InventorySettings, Inventory> {
    @Override
    public String name() {
        return "inventory";
    }

    @Override
    public Set<String> sections() {
        return Set.of("inventory");
    }

    @Override
    public InventorySettings settings(ConfigSection root, Path dataDir) {
        return InventorySettings.from(root);
    }

    @Override
    public Inventory start(InventorySettings settings, StartContext context) {
        // The workload capability starts first (server.Capabilities): kubernetes sets read its pod watch.
        return Inventory.start(settings, context.clock(), context.contributed(Workloads.CONTRIBUTION).stream().findFirst());
    }
}
