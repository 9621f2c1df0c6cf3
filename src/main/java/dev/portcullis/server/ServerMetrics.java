package dev.portcullis.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The meters operators graph, in Prometheus' conventions, each registered at start so that every
 * series exists at zero before the first event (a rate over a series that appears later reads as
 * nothing). docs/metrics.md lists them; {@code MetricsDocTest} keeps the two in step.
 */
final class ServerMetrics {
    static final List<String> TOKEN_OUTCOMES = List.of("issued", "bad_request", "unauthorized", "throttled", "unavailable");
    static final List<String> DECISIONS = List.of("allow", "deny", "dryrun-deny");
    static final List<String> ADMISSION_OUTCOMES = List.of("allowed", "denied", "bad_request", "starting");
    static final List<String> INGEST_RESULTS = List.of("created", "existing", "refused");

    private ServerMetrics() {}

    /** Registers every meter at zero, and the build's version as {@code portcullis_build_info}. */
    static void registerAtZero(MeterRegistry r) {
        for (String o : TOKEN_OUTCOMES) {
            tokenRequests(r, o);
        }
        tokenLatency(r);
        for (String d : DECISIONS) {
            evaluations(r, d);
        }
        evaluationLatency(r);
        for (String i : INGEST_RESULTS) {
            ingested(r, i);
        }
        for (String o : ADMISSION_OUTCOMES) {
            admissionReviews(r, o);
        }
        admissionLatency(r);
        auditWriteFailures(r);
        loginsThrottled(r);
        dev.portcullis.platform.BuildInfo build = dev.portcullis.platform.BuildInfo.current();
        Gauge.builder("portcullis.build.info", () -> 1)
                .description("The running build; the value is always 1")
                .tag("version", build.version())
                .tag("commit", build.commit())
                .tag("java", Runtime.version().toString())
                .register(r);
    }

    /**
     * The calls to external authenticators and authorizers by hook and outcome, and whether the hook's
     * circuit is open, read from the token authority once it has started (zero before). Micrometer holds
     * {@code calls} weakly for the counters: the caller keeps it.
     */
    static void externalCalls(MeterRegistry r, java.util.function.Supplier<dev.portcullis.registryauth.ExternalCalls> calls) {
        for (String hook : dev.portcullis.registryauth.ExternalCalls.HOOKS) {
            for (String outcome : dev.portcullis.registryauth.ExternalCalls.OUTCOMES) {
                io.micrometer.core.instrument.FunctionCounter.builder("portcullis.external.calls", calls, c -> c.get() == null ? 0
                                : c.get().calls(hook, outcome))
                        .description("Calls to external authenticators and authorizers, by hook and outcome")
                        .tag("hook", hook).tag("outcome", outcome).register(r);
            }
        }
        Gauge.builder("portcullis.external.circuit.open", () -> calls.get() != null && calls.get().circuitOpen("http_authz") ? 1 : 0)
                .description("1 while the hook's circuit breaker refuses calls (open or half-open)").tag("hook", "http_authz").register(r);
    }

    /** Token requests refused because of too many failed logins (429): an attack or a broken client. */
    static Counter loginsThrottled(MeterRegistry r) {
        return Counter.builder("portcullis.logins.throttled")
                .description("Token requests refused after too many failed logins for the account or address (429)").register(r);
    }

    static Counter admissionReviews(MeterRegistry r, String outcome) {
        return tagged(r, "portcullis.admission.reviews", "AdmissionReviews answered, by outcome", "outcome", outcome);
    }

    static Timer admissionLatency(MeterRegistry r) {
        return latency(r, "portcullis.admission.review", "Time to answer an AdmissionReview", Duration.ofNanos(100_000));
    }

    static Counter tokenRequests(MeterRegistry r, String outcome) {
        return tagged(r, "portcullis.token.requests", "Token requests answered, by outcome", "outcome", outcome);
    }

    static Timer tokenLatency(MeterRegistry r) {
        return latency(r, "portcullis.token.request", "Time to answer a token request", Duration.ofMillis(1));
    }

    static Counter evaluations(MeterRegistry r, String decision) {
        return tagged(r, "portcullis.policy.evaluations", "Policy evaluations, by decision", "decision", decision);
    }

    static Timer evaluationLatency(MeterRegistry r) {
        return latency(r, "portcullis.policy.evaluation", "Time to decide a policy evaluation", Duration.ofMillis(1));
    }

    /** The token requests' counters, one per outcome, looked up once: a registry lookup per request showed in profiles. */
    static Map<String, Counter> tokenRequestsByOutcome(MeterRegistry r) {
        return byValue(TOKEN_OUTCOMES, o -> tokenRequests(r, o));
    }

    /** The AdmissionReviews' counters, one per outcome, looked up once. */
    static Map<String, Counter> admissionReviewsByOutcome(MeterRegistry r) {
        return byValue(ADMISSION_OUTCOMES, o -> admissionReviews(r, o));
    }

    private static Map<String, Counter> byValue(List<String> values, java.util.function.Function<String, Counter> counter) {
        Map<String, Counter> out = new java.util.HashMap<>();
        values.forEach(v -> out.put(v, counter.apply(v)));
        return Map.copyOf(out);
    }

    private static Counter tagged(MeterRegistry r, String name, String description, String tag, String value) {
        return Counter.builder(name).description(description).tag(tag, value).register(r);
    }

    // A histogram for histogram_quantile, from the fastest expected answer to ten seconds.
    private static Timer latency(MeterRegistry r, String name, String description, Duration fastest) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(fastest).maximumExpectedValue(Duration.ofSeconds(10)).register(r);
    }

    static Counter ingested(MeterRegistry r, String result) {
        return tagged(r, "portcullis.attestations.ingested", "Attestations submitted, by result", "result", result);
    }

    static Counter auditWriteFailures(MeterRegistry r) {
        return Counter.builder("portcullis.audit.write.failures")
                .description("Decisions and changes refused because their audit record could not be written").register(r);
    }
}
