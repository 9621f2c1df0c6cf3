package dev.portcullis.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a capability does with changes of a kind it subscribed to: reloads the rows they name (on the
 * connection given, never whole tables) and swaps its in-memory state. Called with consecutive changes
 * of one kind, in sequence order, one call at a time; applying a change twice must do no harm.
 */
@FunctionalInterface
public interface ChangeHandler {
    void apply(Connection c, List<Change> changes) throws SQLException;
}
