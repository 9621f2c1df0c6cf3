package dev.portcullis.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Statements run in one transaction on the connection given. */
@FunctionalInterface
public interface SqlWork {
    void run(Connection c) throws SQLException;
}
