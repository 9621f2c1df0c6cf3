package dev.portcullis.store;

import java.sql.SQLException;

/**
 * The commit itself failed: the server may have committed the transaction before the connection
 * broke, so it is never run again (a write retried after a lost connection would count twice).
 */
public final class UncertainCommitException extends SQLException {
    private static final long serialVersionUID = 1L;

    UncertainCommitException(SQLException cause) {
        super("the commit failed, and may have taken effect: " + cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
    }
}
