-- The Grafeas note an attestor is bound to (gcloud's --attestation-authority-note), projects/P/notes/N:
-- an attestation naming the note is the attestor's. NULL in rows made before: the note of the name's
-- convention (projects/P/attestors/N is bound to projects/P/notes/N). One attestor a note.
ALTER TABLE attestors ADD COLUMN note_reference VARCHAR(512);
CREATE UNIQUE INDEX attestors_note_reference ON attestors (note_reference);
