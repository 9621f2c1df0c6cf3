package dev.portcullis.lint;

/** What the linter reports about a file: a rule violation, or a syntax error (DL1000) where parsing stopped. */
public sealed interface Finding {

    String file();

    Position position();

    String code();

    Severity severity();

    String message();

    /** A rule of ours or hadolint's found something. */
    record Violation(String file, Position position, String code, Severity severity, String message) implements Finding {}

    /** The file could not be parsed; hadolint reports the same as DL1000. */
    record SyntaxError(String file, Position position, String message) implements Finding {
        @Override
        public String code() {
            return "DL1000";
        }

        @Override
        public Severity severity() {
            return Severity.ERROR;
        }
    }
}
