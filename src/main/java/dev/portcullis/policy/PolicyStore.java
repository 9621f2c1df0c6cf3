package dev.portcullis.policy;

import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;

/**
 * The policy in force: kept in the store as the YAML it was given in, parsed once, served from memory.
 * Until one is set, every image is denied (fail closed) with a message that says so.
 */
public final class PolicyStore {
    /** The policy before any is set: deny everything. */
    public static final String DEFAULT_YAML = """
            defaultAdmissionRule:
              evaluationMode: ALWAYS_DENY
              enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
            """;

    private final Database db;
    private final Clock clock;
    private volatile String yaml;
    private volatile BinauthzPolicy policy;

    public PolicyStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        String stored = null;
        try (Connection c = db.connection(); ResultSet rs = c.createStatement().executeQuery("SELECT yaml FROM policies WHERE id = 1")) {
            if (rs.next()) {
                stored = rs.getString(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the policy: " + e.getMessage(), e);
        }
        this.yaml = stored == null ? DEFAULT_YAML : stored;
        this.policy = BinauthzPolicy.parse(yaml, "stored policy");
    }

    public BinauthzPolicy current() {
        return policy;
    }

    public String yaml() {
        return yaml;
    }

    /** Validates and stores a new policy; a bad one is refused and the old one stays in force. */
    public void replace(String newYaml) {
        BinauthzPolicy parsed = BinauthzPolicy.parse(newYaml, "policy");
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM policies WHERE id = 1");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO policies (id, yaml, updated_at) VALUES (1, ?, ?)")) {
                del.executeUpdate();
                ins.setString(1, newYaml);
                ins.setTimestamp(2, Timestamp.from(clock.instant()));
                ins.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot store the policy: " + e.getMessage(), e);
        }
        this.yaml = newYaml;
        this.policy = parsed;
    }
}
