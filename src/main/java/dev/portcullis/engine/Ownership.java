package dev.portcullis.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which requests act on one container, and the owner check: an identity whose rules say
 * {@code owner_only} may act only on containers labelled with it (the guard labels what it creates).
 */
final class Ownership {
    private static final Set<String> NOT_IDS = Set.of("json", "create", "prune");

    private Ownership() {}

    /** What the engine says about a container's owner. */
    sealed interface Owner {
        /** The engine knows no such container (it will answer 404 itself). */
        record Missing() implements Owner {}

        /** The container's owner label, empty when it has none. */
        record Labelled(Optional<String> owner) implements Owner {}
    }

    /** Asks the engine about a container or an exec instance. */
    @FunctionalInterface
    interface Lookup {
        Owner owner(EnginePath request, Target target) throws java.io.IOException;
    }

    /** A container or an exec instance, by the name or ID in the path. */
    record Target(String id, boolean exec) {}

    /** The container or exec instance the request acts on, if it acts on one. */
    static Optional<Target> target(EnginePath path) {
        List<String> s = path.segments();
        if (s.size() >= 2 && s.getFirst().equals("containers") && !NOT_IDS.contains(s.get(1))) {
            return Optional.of(new Target(s.get(1), false));
        }
        if (s.size() >= 2 && s.getFirst().equals("exec")) {
            return Optional.of(new Target(s.get(1), true));
        }
        return Optional.empty();
    }

    /** Empty when the identity may act on it; else why not. */
    static Optional<String> refusal(String identity, Target target, Owner owner) {
        return switch (owner) {
            case Owner.Missing m -> Optional.empty();
            case Owner.Labelled l when l.owner().filter(identity::equals).isPresent() -> Optional.empty();
            case Owner.Labelled l -> Optional.of((target.exec() ? "exec instance " : "container ") + target.id()
                    + (l.owner().isPresent() ? " belongs to another identity" : " was not created through the guard")
                    + "; " + identity + " may act only on its own containers");
        };
    }
}
