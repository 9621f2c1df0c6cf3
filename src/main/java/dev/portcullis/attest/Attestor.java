package dev.portcullis.attest;

import java.util.Objects;

/** An attestor as the admin API creates it: a resource name and a free-text note, both bounded as the store holds them. */
record Attestor(String name, String note) {
    /** The longest name; the store's column holds 512. */
    public static final int MAX_NAME = 512;
    /** The longest note; the store's column holds 1,024. */
    public static final int MAX_NOTE = 1024;

    public Attestor {
        Objects.requireNonNull(name, "name");
        note = note == null ? "" : note;
        if (!name.matches("[A-Za-z0-9._/-]{1," + MAX_NAME + "}")) {
            throw new InvalidFieldException("name", "must be 1 to " + MAX_NAME + " letters, digits, '.', '_', '-' or '/'");
        }
        InvalidFieldException.check("note", note, MAX_NOTE);
    }
}
