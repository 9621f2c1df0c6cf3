package dev.portcullis.policy;

import dev.portcullis.store.ChangeFeed;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;

/**
 * The policy in force: kept in the store as the YAML it was given in, parsed once, served from memory
 * (one {@link PolicyState} in the {@link DecisionState}). A replacement on any replica reaches every
 * other through the change feed. Until one is set, every image is denied (fail closed) with a message
 * that says so.
 */
public final class PolicyStore {
    /** The policy before any is set: deny everything. */
    public static final String DEFAULT_YAML = """
            defaultAdmissionRule:
              evaluationMode: ALWAYS_DENY
              enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
            """;
    static final String CHANGE = "policy";

    private final Database db;
    private final Clock clock;
    private final ChangeFeed feed;
    private final DecisionState state;

    /** A store with a change feed and a state of its own (one process, nothing else to follow). */
    public PolicyStore(Database db, Clock clock) {
        this(db, clock, ChangeFeed.open(db, clock), new DecisionState());
    }

    /** Loads the policy into {@code state} and follows {@code feed} from then on; open the feed before this. */
    public PolicyStore(Database db, Clock clock, ChangeFeed feed, DecisionState state) {
        this.db = db;
        this.clock = clock;
        this.feed = feed;
        this.state = state;
        // One row: a change and a reload after pruning are the same read.
        feed.subscribe(CHANGE, (c, changes) -> state.setPolicy(load(c)), c -> state.setPolicy(load(c)));
        try (Connection c = db.connection()) {
            state.setPolicy(load(c));
        } catch (SQLException e) {
            throw new StoreException("cannot read the policy: " + e.getMessage(), e);
        }
    }

    private static PolicyState load(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT yaml FROM policies WHERE id = 1")) {
            return rs.next() ? PolicyState.parse(rs.getString(1), "stored policy") : PolicyState.parse(DEFAULT_YAML, "default policy");
        }
    }

    /** Everything a decision reads, as one snapshot. */
    public DecisionSnapshot snapshot() {
        return state.current();
    }

    public BinauthzPolicy current() {
        return state.current().policy().policy();
    }

    public String yaml() {
        return state.current().policy().yaml();
    }

    /** Validates and stores a new policy; a bad one is refused and the old one stays in force. */
    public void replace(String newYaml) {
        PolicyState.parse(newYaml, "policy");
        try {
            feed.write(CHANGE, "1", c -> {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM policies WHERE id = 1");
                     PreparedStatement ins = c.prepareStatement("INSERT INTO policies (id, yaml, updated_at) VALUES (1, ?, ?)")) {
                    del.executeUpdate();
                    ins.setString(1, newYaml);
                    ins.setTimestamp(2, Timestamp.from(clock.instant()));
                    ins.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("cannot store the policy: " + e.getMessage(), e);
        }
    }
}
