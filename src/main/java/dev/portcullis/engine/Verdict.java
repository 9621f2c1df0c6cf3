package dev.portcullis.engine;

/** The guard's decision on one request, with the rule or reason that made it. */
public sealed interface Verdict {
    /** Passed on to the engine. */
    record Allow(String rule) implements Verdict {}

    /** Answered 403 with the reason, which the docker CLI prints. */
    record Deny(String reason) implements Verdict {}
}
