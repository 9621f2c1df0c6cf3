package dev.portcullis.lint;

/** A rule given as its code, default severity, description and check. */
record SimpleRule(String code, Severity defaultSeverity, String description, Check body) implements Rule {

    /** The check itself. */
    @FunctionalInterface
    interface Check {
        void run(Facts file, LintPolicy policy, Report report);
    }

    @Override
    public void check(Facts file, LintPolicy policy, Report report) {
        body.run(file, policy, report);
    }
}
