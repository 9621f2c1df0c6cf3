-- Decisions read attestations from memory and repeats are found by attestations_once: nothing reads
-- attestations by digest, and every batch of random digests rewrote most of this index's pages.
DROP INDEX attestations_digest;
