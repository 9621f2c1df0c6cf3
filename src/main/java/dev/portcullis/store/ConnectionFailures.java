package dev.portcullis.store;

import java.sql.SQLException;

/**
 * Which SQL errors say that the connection, not the statement, failed: SQLState class 08 (connection
 * exception) or 57P01 (PostgreSQL shut down by its administrator, as in a restart). A transaction that
 * failed so before its commit was sent took no effect, and may be run again on a new connection.
 */
final class ConnectionFailures {
    private ConnectionFailures() {}

    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException x = s; x != null; x = x.getNextException()) {
                    String state = x.getSQLState();
                    if (state != null && (state.startsWith("08") || state.equals("57P01"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether the failed transaction may be run again: a connection failure before its commit, on its first try. */
    static boolean retryable(SQLException e, int attempt) {
        return attempt == 0 && !(e instanceof UncertainCommitException) && isConnectionFailure(e);
    }
}
