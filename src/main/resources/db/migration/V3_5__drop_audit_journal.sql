-- The embedded store keeps its audit log in files under the data directory now, not in audit_events,
-- so nothing copies a journal into the table any more and its high-water mark has no use.
DROP TABLE audit_journal;
