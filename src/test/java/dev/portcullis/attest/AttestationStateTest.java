package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The attestation state's note bindings: one attestor a note, exactly the note its row has. */
class AttestationStateTest {
    private static final String A = "projects/p/attestors/a";

    @Test
    void withAttestor_rowReadAgainWithAnotherNote_isBoundToThatOneOnly() {
        AttestationState s = AttestationState.EMPTY.withAttestor(A, "projects/p/notes/old");

        AttestationState remade = s.withAttestor(A, "projects/q/notes/new");   // deleted and made again with another note

        assertThat(remade.attestorOfNote("projects/p/notes/old")).isEmpty();
        assertThat(remade.attestorOfNote("projects/q/notes/new")).contains(A);
        assertThat(remade.withAttestor(A, "").attestorOfNote("projects/q/notes/new")).isEmpty();
        assertThat(remade.withAttestor(A, "projects/q/notes/new")).isSameAs(remade);
    }

    @Test
    void withoutAttestor_boundToANote_leavesTheNoteToNobody() {
        AttestationState s = AttestationState.EMPTY.withAttestor(A, "projects/p/notes/a").withAttestor("projects/p/attestors/b",
                "projects/p/notes/b");

        AttestationState gone = s.withoutAttestor(A);

        assertThat(gone.attestorOfNote("projects/p/notes/a")).isEmpty();
        assertThat(gone.attestorOfNote("projects/p/notes/b")).contains("projects/p/attestors/b");
        assertThat(gone.keysOf(A)).isEmpty();
    }
}
