package dev.portcullis.admin;

import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The named admin API tokens kept in the store, beside the configured one (named {@value #DEFAULT_NAME}).
 * Only a SHA-256 of each token is stored; every check reads the store, so a revocation counts at once,
 * on every replica, without a restart.
 */
public final class AdminTokens {
    /** The name of the configured (or generated) token, which is not kept here. */
    public static final String DEFAULT_NAME = "admin";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token as listed: never the token itself. {@code revokedAt} is null while it is in force. */
    public record Info(String name, String createdBy, Instant createdAt, Instant revokedAt) {}

    private final Database db;
    private final Clock clock;

    public AdminTokens(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * The name of the token in force that {@code presented} is, if any. Every stored hash is compared,
     * in constant time, whichever matches: the time says nothing about which or how much matched.
     */
    public Optional<String> nameOf(String presented) {
        byte[] hash = sha256(presented);
        String found = null;
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT name, token_sha256 FROM admin_tokens WHERE revoked_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (MessageDigest.isEqual(hash, HexFormat.of().parseHex(rs.getString(2).strip())) && found == null) {
                    found = name;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the admin tokens: " + e.getMessage(), e);
        }
        return Optional.ofNullable(found);
    }

    /** Refuses a name the store cannot take or that is the configured token's. */
    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AdminTokenException(AdminTokenException.Kind.INVALID, "an admin token name is 1 to 64 of a-z, 0-9, "
                    + "'.', '_', '-', starting with a letter or digit");
        }
        if (name.equals(DEFAULT_NAME)) {
            throw new AdminTokenException(AdminTokenException.Kind.EXISTS, "'" + DEFAULT_NAME
                    + "' is the configured token's name (api.admin_token or data_dir/admin.token)");
        }
    }

    /** Refuses a bad name, the configured token's, or one a token (in force or revoked) has already. */
    public void checkNew(String name) {
        checkName(name);
        if (list().stream().anyMatch(t -> t.name().equals(name))) {
            throw new AdminTokenException(AdminTokenException.Kind.EXISTS, "an admin token named '" + name
                    + "' exists already (a revoked one keeps its name)");
        }
    }

    /** Makes a token named {@code name} and returns it; it is shown this once and kept only as a hash. */
    public String create(String name, String createdBy) {
        checkName(name);
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO admin_tokens (name, token_sha256, created_by, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, HexFormat.of().formatHex(sha256(token)));
            ps.setString(3, createdBy);
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw new AdminTokenException(AdminTokenException.Kind.EXISTS, "an admin token named '" + name
                        + "' exists already (a revoked one keeps its name)");
            }
            // Not the driver's message: it may quote the values, the token's hash among them.
            throw new StoreException("cannot store the admin token (SQL state " + e.getSQLState() + ")", e);
        }
        return token;
    }

    /** Throws (kind {@code UNKNOWN}) unless a token named {@code name} is in force. */
    public void requireInForce(String name) {
        if (list().stream().noneMatch(t -> t.name().equals(name) && t.revokedAt() == null)) {
            throw new AdminTokenException(AdminTokenException.Kind.UNKNOWN, "no admin token in force is named '" + name + "'"
                    + (name.equals(DEFAULT_NAME) ? "; the configured one is replaced in api.admin_token or data_dir/admin.token" : ""));
        }
    }

    /** Revokes the token in force named {@code name}: it is refused from the next request on. */
    public void revoke(String name) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE admin_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, name);
            if (ps.executeUpdate() == 0) {
                throw new AdminTokenException(AdminTokenException.Kind.UNKNOWN, "no admin token in force is named '" + name + "'");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot revoke the admin token: " + e.getMessage(), e);
        }
    }

    /** Every named token, in force or revoked, by name. */
    public List<Info> list() {
        List<Info> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT name, created_by, created_at, revoked_at FROM admin_tokens ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp revoked = rs.getTimestamp(4);
                out.add(new Info(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        revoked == null ? null : revoked.toInstant()));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the admin tokens: " + e.getMessage(), e);
        }
        return out;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
