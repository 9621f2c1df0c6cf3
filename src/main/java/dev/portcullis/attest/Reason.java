package dev.portcullis.attest;

/** Why an attestation does not count, as the policy engine and {@code attest verify} report it. */
public enum Reason {
    /** The signature does not verify with the key. */
    BAD_SIGNATURE,
    /** No key of the attestor has this id. */
    UNKNOWN_KEY,
    /** No attestor has this name, nor is there one for this Grafeas note ({@code projects/P/notes/N}). */
    UNKNOWN_ATTESTOR,
    /** The payload names another image digest than the one being checked. */
    DIGEST_MISMATCH,
    /** The payload is not the simple-signing JSON. */
    MALFORMED_PAYLOAD,
    /** A key or signature file cannot be read. */
    MALFORMED_KEY,
    /** The artifact is named by tag, not by digest. */
    TAG_NOT_DIGEST
}
