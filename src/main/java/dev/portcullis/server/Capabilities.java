package dev.portcullis.server;

import dev.portcullis.admission.AdmissionCapability;
import dev.portcullis.inventory.InventoryCapability;
import dev.portcullis.lineage.LineageCapability;
import dev.portcullis.policy.AttestationPolicyCapability;
import dev.portcullis.registryauth.RegistryAuthCapability;
import dev.portcullis.workload.WorkloadCapability;
import java.util.List;

/**
 * The capabilities {@code serve} runs, in start order, each with its routes: a capability that
 * contributes to another (a policy check, say) comes before it. Adding one is one entry here.
 */
final class Capabilities {
    private Capabilities() {}

    static List<Mounted<?, ?>> all() {
        return List.of(
                // First: admission re-checks the pods it watches, and the inventory's kubernetes sets read them.
                new Mounted<>(new WorkloadCapability(), (workloads, ctx) -> List.of()),
                // Before the token authority, whose ACL reads its sets (@inventory:NAME).
                new Mounted<>(new InventoryCapability(), (inventory, ctx) -> List.of(
                        new InventoryRoutes(inventory, ctx.admin(), ctx.metrics()))),
                new Mounted<>(new RegistryAuthCapability(), (auth, ctx) -> List.of(
                        new TokenRoutes(() -> auth.get().service(), () -> auth.get().signer(), ctx.clientAddress(),
                                () -> "Portcullis", ctx.metrics(), ctx.pathPrefix(),
                                () -> auth.get() == null ? null : auth.get().externalCalls()),
                        new AccountApiRoutes(() -> auth.get().service(), ctx.admin()))),
                // Before the policy, to which it contributes the ban check.
                new Mounted<>(new LineageCapability(), (lineage, ctx) -> List.of(new LineageRoutes(lineage, ctx.admin(),
                        ctx.clientAddress()))),
                // After every capability that contributes a policy check: they must exist when it starts.
                new Mounted<>(new AttestationPolicyCapability(), (policy, ctx) -> List.of(
                        new AttestorRoutes(() -> policy.get().attestations(), () -> policy.get().policy(), ctx.admin()),
                        new PolicyApiRoutes(() -> policy.get().attestations(), () -> policy.get().policy(), ctx.admin(),
                                ctx.metrics()))),
                // After the policy, whose service it judges with.
                new Mounted<>(new AdmissionCapability(), (admission, ctx) -> List.of(new AdmissionRoutes(admission, ctx.metrics(), false),
                        new ViolationRoutes(admission, ctx.admin(), ctx.metrics()))));
    }
}
