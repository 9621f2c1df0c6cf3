package dev.portcullis.attest;

/** A value the store could not hold as given (too long, a NUL); names the field and its limit. */
public final class InvalidFieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    InvalidFieldException(String field, String message) {
        super("field '" + field + "' " + message);
        this.field = field;
    }

    /** The field as the API names it, e.g. {@code note}. */
    public String field() {
        return field;
    }

    /**
     * Checks a value against its column: at most {@code max} characters, counted by code point as the
     * store counts them, and no NUL, which PostgreSQL cannot store.
     */
    static String check(String field, String value, int max) {
        if (value.codePointCount(0, value.length()) > max) {
            throw new InvalidFieldException(field, "is longer than " + max + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidFieldException(field, "contains NUL");
        }
        return value;
    }
}
