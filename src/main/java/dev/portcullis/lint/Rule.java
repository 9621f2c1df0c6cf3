package dev.portcullis.lint;

import java.util.List;

/** One check over a parsed Dockerfile; reports violations through {@link Report}. */
interface Rule {
    String code();

    Severity defaultSeverity();

    /** One line: what the rule asks for (docs/lint-rules.md lists them all). */
    String description();

    void check(Facts file, LintPolicy policy, Report report);

    /** Collects a rule's violations with its code and severity. */
    interface Report {
        void add(Instruction at, String message);
    }

    static List<Rule> all() {
        List<Rule> out = new java.util.ArrayList<>();
        out.addAll(InstructionRules.all());
        out.addAll(RunRules.all());
        out.addAll(StageHygieneRules.all());
        out.addAll(LabelRules.all());
        out.addAll(PolicyRules.all());
        return List.copyOf(out);
    }
}
