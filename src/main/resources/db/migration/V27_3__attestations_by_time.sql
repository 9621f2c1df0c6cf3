-- Retention of unasked attestations removes a digest's attestations by the times the in-memory index
-- holds for it: these indexes find a batch's rows (one time each) without reading the whole table. Both
-- grow at their end, in the order attestations arrive, so ingest does not rewrite their pages.
CREATE INDEX attestations_created ON attestations (created_at);
CREATE INDEX attestation_entries_created ON attestation_entries (created_micros);
