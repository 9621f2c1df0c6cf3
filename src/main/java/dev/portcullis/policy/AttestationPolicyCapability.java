package dev.portcullis.policy;

import dev.portcullis.attest.AskedDigests;
import dev.portcullis.attest.AttestationRetention;
import dev.portcullis.attest.AttestationStore;
import dev.portcullis.attest.IngestBudget;
import dev.portcullis.attest.V27_2__AttestationEntries;
import dev.portcullis.config.ConfigSection;
import dev.portcullis.platform.BackgroundWork;
import dev.portcullis.platform.Capability;
import dev.portcullis.platform.StartContext;
import dev.portcullis.store.CodeMigration;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Attestations and the Binary Authorization policy as a capability. It reads the {@code attestations}
 * section (the memory budget and the retention of unasked attestations; the policy is kept in the store); the policy checks the capabilities started before it contribute run after
 * the attestation check, in their order.
 */
public final class AttestationPolicyCapability implements Capability<AttestationPolicySettings, AttestationPolicy> {
    @Override
    public String name() {
        return "policy";
    }

    @Override
    public Set<String> sections() {
        return Set.of("attestations");
    }

    // The entries a start reads the attestation index from, made from an earlier store's rows.
    @Override
    public List<CodeMigration> codeMigrations() {
        return List.of(new V27_2__AttestationEntries());
    }

    @Override
    public AttestationPolicySettings settings(ConfigSection root, Path dataDir) {
        return AttestationPolicySettings.from(root);
    }

    @Override
    public AttestationPolicy start(AttestationPolicySettings settings, StartContext context) {
        // One state for decisions, swapped whole: the policy and the attestations of the same moment.
        DecisionState decisions = new DecisionState();
        AttestationStore attestations = new AttestationStore(context.database(), context.clock(), context.feed(),
                decisions.attestations(), IngestBudget.of(settings.memoryBudget()));
        // Asks are kept only when retention reads them: with it off, an evaluation pays nothing for them.
        AskedDigests asked = settings.removesUnasked() ? AskedDigests.since(context.clock().instant()) : AskedDigests.NOT_KEPT;
        PolicyService policy = new PolicyService(new PolicyStore(context.database(), context.clock(), context.feed(), decisions),
                context.contributed(PolicyCheck.CONTRIBUTION), context.audit(), context.clock(), asked);
        List<BackgroundWork> background = settings.removesUnasked()
                ? List.of(new RetentionSweeper(new AttestationRetention(context.database(), context.feed(), decisions.attestations(),
                        asked, settings.retentionUnasked(), context.clock(), context.audit()), settings.retentionUnasked()))
                : List.of();
        return new AttestationPolicy(attestations, policy, background);
    }
}
