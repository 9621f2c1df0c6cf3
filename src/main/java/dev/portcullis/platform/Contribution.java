package dev.portcullis.platform;

/**
 * A kind of thing one capability hands another at start (a policy check, say): the capability that
 * takes them declares the constant, the ones that give them return instances from
 * {@link Module#contributions}.
 */
public record Contribution<T>(String name, Class<T> type) {
    public Contribution {
        if (name == null || name.isBlank() || type == null) {
            throw new IllegalArgumentException("a contribution needs a name and a type");
        }
    }
}
