package dev.portcullis.registryauth;

import dev.portcullis.config.ConfigSection;
import dev.portcullis.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * docker_auth's {@code users} section: accounts with bcrypt hashes ($2a$, $2b$, $2y$) and labels. The
 * entry {@code ""} with no password lets anonymous clients through to the ACL.
 */
final class StaticUsers implements Authenticator {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Set<String> KEYS = Set.of("password", "labels");

    private record User(String hash, Map<String, List<String>> labels) {}

    private final Map<String, User> users;
    private final String decoyHash;
    private final BiPredicate<String, char[]> bcrypt;

    private StaticUsers(Map<String, User> users, BiPredicate<String, char[]> bcrypt) {
        this.users = Map.copyOf(users);
        this.bcrypt = bcrypt;
        // An unknown account costs the same bcrypt work as a known one, so timing does not tell which exist.
        int cost = users.values().stream().map(User::hash).filter(h -> !h.isEmpty())
                .mapToInt(h -> Integer.parseInt(h.substring(4, 6))).max().orElse(4);
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        // Made at the cheapest cost and then relabelled: checking a password against it still runs at
        // the accounts' cost, but the start does not pay for one full bcrypt round (~0.1 s).
        String cheap = OpenBSDBCrypt.generate("2y", "decoy".toCharArray(), salt, 4);
        this.decoyHash = cheap.substring(0, 4) + String.format("%02d", cost) + cheap.substring(6);
    }

    /** Reads the {@code users} section; a hash that is not bcrypt stops the start with its line. */
    public static StaticUsers from(ConfigSection section) {
        return from(section, OpenBSDBCrypt::checkPassword);
    }

    /** As {@link #from(ConfigSection)}, with the bcrypt check given: tests count which hashes are checked. */
    static StaticUsers from(ConfigSection section, BiPredicate<String, char[]> bcrypt) {
        Map<String, User> users = new LinkedHashMap<>();
        for (String name : section.keys()) {
            ConfigSection entry = section.section(name);
            entry.rejectUnknown(KEYS);
            String hash = entry.string("password", "");
            if (!hash.isEmpty() && !BCRYPT.matcher(hash).matches()) {
                throw entry.error("password", "must be a bcrypt hash ($2a$, $2b$ or $2y$; make one with "
                        + "'portcullis hash-password'), never the password itself");
            }
            int cost = hash.isEmpty() ? 0 : Integer.parseInt(hash.substring(4, 6));
            if (!hash.isEmpty() && (cost < 4 || cost > 31)) {
                throw entry.error("password", "has a bcrypt cost outside 4..31");
            }
            if (hash.isEmpty() && !name.isEmpty()) {
                throw entry.error("password", "is required for every account but the anonymous \"\" entry");
            }
            users.put(name, new User(hash, entry.stringMultiMap("labels")));
        }
        return new StaticUsers(users, bcrypt);
    }

    /** The hash an unknown account's password is checked against; package-private for tests. */
    String decoyHash() {
        return decoyHash;
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }

    @Override
    public AuthnResult authenticate(String account, Secret password) {
        User user = users.get(account);
        if (user != null && user.hash().isEmpty()) {
            // The anonymous entry: only an empty password is anonymous.
            return password.isEmpty() ? new AuthnResult.Authenticated(user.labels(), "users")
                    : new AuthnResult.Rejected("users");
        }
        // One rule for known and unknown accounts, so that the time taken does not tell them apart: a
        // password bcrypt cannot check runs no bcrypt at all, any other runs exactly one.
        String clear = password.reveal();
        boolean ok = bcryptChecks(clear) && bcrypt.test(user == null ? decoyHash : user.hash(), clear.toCharArray());
        if (user == null) {
            return new AuthnResult.NoMatch();
        }
        return ok ? new AuthnResult.Authenticated(user.labels(), "users") : new AuthnResult.Rejected("users");
    }

    /** The account's bcrypt hash (its credential: a new password is a new hash) and labels, as configured now. */
    @Override
    public AccountState lookup(String account) {
        User user = users.get(account);
        return user == null ? new AccountState.Absent() : new AccountState.Present(Secret.of(user.hash()), user.labels(), "users");
    }

    // bcrypt reads at most 72 bytes (not characters): a longer password would match any password sharing
    // its first 72 bytes, so it is refused, never truncated.
    private static boolean bcryptChecks(String clear) {
        return !clear.isEmpty() && clear.getBytes(StandardCharsets.UTF_8).length <= 72;
    }
}
