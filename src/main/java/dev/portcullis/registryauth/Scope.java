package dev.portcullis.registryauth;

import dev.portcullis.image.ImageReference;
import dev.portcullis.image.InvalidReferenceException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One requested scope of the distribution token spec, {@code type:name:action[,action]}: e.g.
 * {@code repository:team/app:pull,push}, {@code repository(plugin):vendor/p:pull},
 * {@code registry:catalog:*}, or a name with a registry host and port,
 * {@code repository:localhost:5000/a/b:pull}.
 */
record Scope(String type, String name, Set<String> actions) {
    static final int MAX_LENGTH = 1024;
    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+(\\([a-z0-9]+\\))?");
    private static final Pattern ACTION = Pattern.compile("[a-z]+|\\*");
    // Compiled once: String.split(" +") compiles its pattern on every call, the largest allocation of
    // a token request before this.
    private static final Pattern SPACES = Pattern.compile(" +");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::[0-9]{1,5})?");
    private static final Pattern OTHER_NAME = Pattern.compile("(?=.{1,255}$)[A-Za-z0-9_*-]+(?:[./][A-Za-z0-9_*-]+)*");

    public Scope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        actions = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(actions));
        if (!TYPE.matcher(type).matches()) {
            throw new InvalidTokenRequestException("invalid scope type '" + Text.printable(type) + "'");
        }
        if (type.equals("repository") || type.startsWith("repository(")) {
            validateRepositoryName(name);
        } else if (!OTHER_NAME.matcher(name).matches()) {
            throw new InvalidTokenRequestException("invalid " + type + " name '" + Text.printable(name) + "'");
        }
        for (String a : actions) {
            if (!ACTION.matcher(a).matches()) {
                throw new InvalidTokenRequestException("invalid action '" + Text.printable(a) + "' in scope " + type + ":" + name);
            }
        }
    }

    /** Parses one {@code scope} parameter value; the error says what part is wrong. */
    public static Scope parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidTokenRequestException("empty scope");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidTokenRequestException("scope longer than " + MAX_LENGTH + " characters");
        }
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first < 0 || last == first) {
            throw new InvalidTokenRequestException("scope '" + Text.printable(text) + "' must be type:name:actions");
        }
        String type = text.substring(0, first);
        String name = text.substring(first + 1, last);
        String actionText = text.substring(last + 1);
        List<String> actions = new ArrayList<>();
        if (!actionText.isEmpty()) {
            for (String a : actionText.split(",", -1)) {
                actions.add(a.trim());
            }
        }
        return new Scope(type, name, new LinkedHashSet<>(actions));
    }

    /** Parses the space-separated {@code scope} of the OAuth2 form, which may hold several scopes. */
    public static List<Scope> parseList(String spaceSeparated) {
        List<Scope> out = new ArrayList<>();
        for (String s : SPACES.split(spaceSeparated.trim())) {
            if (!s.isEmpty()) {
                out.add(parse(s));
            }
        }
        return out;
    }

    /** The repository path without a registry host, as the registry names it in its checks. */
    private static void validateRepositoryName(String name) {
        if (name.isEmpty()) {
            throw new InvalidTokenRequestException("repository scope has no name");
        }
        String path = name;
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if ((first.contains(".") || first.contains(":") || first.equals("localhost")) && HOST.matcher(first).matches()) {
                path = name.substring(slash + 1);
            }
        }
        try {
            ImageReference.validateRepository(path);
        } catch (InvalidReferenceException e) {
            throw new InvalidTokenRequestException(e.getMessage());
        }
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
