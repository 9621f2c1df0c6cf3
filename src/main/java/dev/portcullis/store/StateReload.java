package dev.portcullis.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How a capability reads everything it follows on the feed again, whole, on the connection given: for
 * a replica that fell further behind than {@code store.change_log_max_age}, whose missed changes were
 * pruned. It replaces the capability's state in memory as one swap, as a change does.
 */
@FunctionalInterface
public interface StateReload {
    void reloadAll(Connection c) throws SQLException;
}
