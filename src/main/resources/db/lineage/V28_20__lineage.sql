-- Image lineage (issue 20). Versioned after every migration already released, so a migrated store runs it.
-- Manifests and config blobs as the registry served them (content-addressed: written once, never changed).
CREATE TABLE lineage_blobs (
    digest      VARCHAR(200) NOT NULL PRIMARY KEY,
    media_type  VARCHAR(255) NOT NULL,
    content     VARCHAR      NOT NULL,
    stored_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
-- What each repository holds: a tag, or '@<digest>' for a manifest held by digest; digest NULL once
-- deleted (kept, with the event's time, so that an older event arriving late changes nothing).
CREATE TABLE lineage_holdings (
    repository  VARCHAR(1024) NOT NULL,
    name        VARCHAR(256)  NOT NULL,
    digest      VARCHAR(200),
    event_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (repository, name)
);
-- Notification ids already applied: a resent event changes nothing. Kept a week (a resend older than
-- that is applied again, harmlessly: holdings keep the newest event's time).
CREATE TABLE lineage_events (
    id           VARCHAR(200) NOT NULL PRIMARY KEY,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX lineage_events_received ON lineage_events (received_at);
-- Bans of a base (by digest, or a repository's tags in a version range) and every image built on it.
CREATE TABLE lineage_bans (
    id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    digest      VARCHAR(200),
    repository  VARCHAR(1024),
    versions    VARCHAR(200),
    reason      VARCHAR(1024) NOT NULL,
    cves        VARCHAR(2048) NOT NULL,
    created_by  VARCHAR(256)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE,
    lifted_at   TIMESTAMP WITH TIME ZONE,
    lifted_by   VARCHAR(256)
);
