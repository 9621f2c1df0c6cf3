-- Per account, the epoch of its refresh tokens: a refresh token carries the epoch it was issued in
-- and is refused once the account's epoch has moved past it (POST /api/v1/accounts/{account}/revoke-refresh-tokens).
-- An account without a row is at epoch 0.
CREATE TABLE refresh_token_epochs (
    account     VARCHAR(256) NOT NULL PRIMARY KEY,
    epoch       BIGINT       NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
