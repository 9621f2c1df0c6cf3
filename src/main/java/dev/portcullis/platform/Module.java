package dev.portcullis.platform;

import java.util.List;

/** A started capability: whether it is ready, its background work, what it gives other capabilities. */
public interface Module extends AutoCloseable {
    /** Whether it can answer now; {@code /readyz} is ready only when every module is. */
    default boolean ready() {
        return true;
    }

    /** Work it runs beside the requests; started after every module has started, stopped before close. */
    default List<BackgroundWork> background() {
        return List.of();
    }

    /** What {@code /readyz} tells either way, by part (e.g. how old each inventory set is); no secrets. */
    default java.util.Map<String, String> details() {
        return java.util.Map.of();
    }

    /** What an operator should see at start, e.g. that nobody can log in yet. */
    default List<String> warnings() {
        return List.of();
    }

    /** What it hands the capabilities started after it, of the kind asked for. */
    default <T> List<T> contributions(Contribution<T> kind) {
        return List.of();
    }

    @Override
    default void close() {}
}
