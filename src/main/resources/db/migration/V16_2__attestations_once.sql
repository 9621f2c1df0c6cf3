-- An attestation is stored once per attestor, key and signed content: submitting it again stores
-- nothing new. content_sha256 is the hex SHA-256 of the payload (of the attached PGP message when the
-- attestation has no separate payload). Rows stored before this version have none until the next
-- start computes it and drops their repeats; NULLs do not collide in a unique index.
ALTER TABLE attestations ADD COLUMN content_sha256 VARCHAR(64);
CREATE UNIQUE INDEX attestations_once ON attestations (attestor, key_id, content_sha256);
