package dev.portcullis.attest;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An attestor as the admin API creates it: a resource name, a free-text note (its description) and the
 * Grafeas note it is bound to ({@code projects/P/notes/N}, "" for none), all bounded as the store holds
 * them. Without a note given, {@code projects/P/attestors/N} is bound to {@code projects/P/notes/N}.
 */
record Attestor(String name, String note, String noteReference) {
    /** The longest name; the store's column holds 512. */
    public static final int MAX_NAME = 512;
    /** The longest note; the store's column holds 1,024. */
    public static final int MAX_NOTE = 1024;
    /** A Grafeas note's resource name. */
    static final Pattern GRAFEAS_NOTE = Pattern.compile("projects/([A-Za-z0-9._-]+)/notes/([A-Za-z0-9._-]+)");
    private static final Pattern PROJECT_ATTESTOR = Pattern.compile("projects/([A-Za-z0-9._-]+)/attestors/([A-Za-z0-9._-]+)");

    public Attestor {
        Objects.requireNonNull(name, "name");
        note = note == null ? "" : note;
        if (!name.matches("[A-Za-z0-9._/-]{1," + MAX_NAME + "}")) {
            throw new InvalidFieldException("name", "must be 1 to " + MAX_NAME + " letters, digits, '.', '_', '-' or '/'");
        }
        InvalidFieldException.check("note", note, MAX_NOTE);
        noteReference = noteReference == null || noteReference.isEmpty() ? defaultNote(name) : noteReference;
        if (!noteReference.isEmpty() && (noteReference.length() > MAX_NAME || !GRAFEAS_NOTE.matcher(noteReference).matches())) {
            throw new InvalidFieldException("noteReference", "must be projects/PROJECT/notes/NOTE (letters, digits, '.', '_', '-'; at most "
                    + MAX_NAME + " characters)");
        }
    }

    /** An attestor with the note of its name's convention (or none). */
    Attestor(String name, String note) {
        this(name, note, "");
    }

    /** The note an attestor is bound to, from its stored column: a NULL (a row made before notes were stored) is its name's default. */
    static String boundNote(String name, String stored) {
        return stored == null ? defaultNote(name) : stored;
    }

    // Binary Authorization's convention, which gcloud's examples follow: the attestor's note has its id.
    private static String defaultNote(String name) {
        Matcher m = PROJECT_ATTESTOR.matcher(name);
        return m.matches() ? "projects/" + m.group(1) + "/notes/" + m.group(2) : "";
    }
}
