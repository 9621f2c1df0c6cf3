-- How far the audit journal (the embedded store's write-ahead file of audit events) has been copied
-- into audit_events: updated in the same transaction as the rows, so a replay after a crash neither
-- skips nor repeats an event.
CREATE TABLE audit_journal (
    id         INT    PRIMARY KEY,
    moved_seq  BIGINT NOT NULL
);
INSERT INTO audit_journal (id, moved_seq) VALUES (1, 0);
