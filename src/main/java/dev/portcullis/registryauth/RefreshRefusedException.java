package dev.portcullis.registryauth;

/**
 * A refresh token that does not stand (any more). The message is the reason for the audit log; the
 * client is told {@link #clientMessage()} only, which says nothing about the account. The account and
 * token id come from the token once its signature verified, and are empty before.
 */
final class RefreshRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String LOG_IN_AGAIN = "refresh token is no longer valid; log in again";

    private final String clientMessage;
    private final String account;
    private final String jti;

    RefreshRefusedException(String rule, String clientMessage, String account, String jti) {
        super(rule);
        this.clientMessage = clientMessage;
        this.account = account;
        this.jti = jti;
    }

    /** Refused before its signature verified: nothing in it can be trusted, not even its name. */
    static RefreshRefusedException early(String why) {
        return new RefreshRefusedException(why, why, "", "");
    }

    /** Refused for a reason the client may be told as it is. */
    static RefreshRefusedException same(String why, String account, String jti) {
        return new RefreshRefusedException(why, why, account, jti);
    }

    String rule() {
        return getMessage();
    }

    String clientMessage() {
        return clientMessage;
    }

    String account() {
        return account;
    }

    String jti() {
        return jti;
    }
}
