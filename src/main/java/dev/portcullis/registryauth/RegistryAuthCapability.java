package dev.portcullis.registryauth;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.inventory.Inventory;
import dev.portcullis.platform.Capability;
import dev.portcullis.platform.StartContext;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** The token authority as a capability: docker_auth's sections, started over the store and the audit log. */
public final class RegistryAuthCapability implements Capability<RegistryAuthSettings, RegistryAuth> {
    @Override
    public String name() {
        return "registryauth";
    }

    @Override
    public Set<String> sections() {
        // The unsupported ones are known too: the settings refuse each by name, which a typo check would not.
        Set<String> all = new HashSet<>(RegistryAuth.SECTIONS);
        all.addAll(RegistryAuth.UNSUPPORTED);
        return Set.copyOf(all);
    }

    @Override
    public RegistryAuthSettings settings(ConfigSection root, Path dataDir) {
        return RegistryAuthSettings.from(root);
    }

    @Override
    public RegistryAuth start(RegistryAuthSettings settings, StartContext context) {
        // The inventory, when it was started before (server.Capabilities puts it first): @inventory:NAME reads its sets.
        Inventory inventory = context.contributed(Inventory.CONTRIBUTION).stream().findFirst().orElse(Inventory.none());
        return RegistryAuth.from(settings, context.dataDir(), context.database(), context.feed(), context.audit(), context.clock(),
                inventory);
    }
}
