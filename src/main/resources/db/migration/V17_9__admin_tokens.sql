-- Named admin API tokens beside the configured one ("admin"): only a SHA-256 of each token is kept,
-- and a revoked one keeps its row (and its name) so that the audit log's subject stays unambiguous.
CREATE TABLE admin_tokens (
    name          VARCHAR(64)  NOT NULL PRIMARY KEY,
    token_sha256  CHAR(64)     NOT NULL,
    created_by    VARCHAR(64)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE
);
