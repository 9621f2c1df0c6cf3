package dev.portcullis.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

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
        String version = ServerMetrics.class.getPackage().getImplementationVersion();
        Gauge.builder("portcullis.build.info", () -> 1)
                .description("The running build; the value is always 1")
                .tag("version", version == null ? "development" : version)
                .tag("java", Runtime.version().toString())
                .register(r);
    }

    static Counter admissionReviews(MeterRegistry r, String outcome) {
        return Counter.builder("portcullis.admission.reviews").description("AdmissionReviews answered, by outcome")
                .tag("outcome", outcome).register(r);
    }

    static Timer admissionLatency(MeterRegistry r) {
        return Timer.builder("portcullis.admission.review").description("Time to answer an AdmissionReview")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(r);
    }

    static Counter tokenRequests(MeterRegistry r, String outcome) {
        return Counter.builder("portcullis.token.requests").description("Token requests answered, by outcome")
                .tag("outcome", outcome).register(r);
    }

    static Timer tokenLatency(MeterRegistry r) {
        return Timer.builder("portcullis.token.request").description("Time to answer a token request")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(r);
    }

    static Counter evaluations(MeterRegistry r, String decision) {
        return Counter.builder("portcullis.policy.evaluations").description("Policy evaluations, by decision")
                .tag("decision", decision).register(r);
    }

    static Timer evaluationLatency(MeterRegistry r) {
        return Timer.builder("portcullis.policy.evaluation").description("Time to decide a policy evaluation")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(r);
    }

    static Counter ingested(MeterRegistry r, String result) {
        return Counter.builder("portcullis.attestations.ingested").description("Attestations submitted, by result")
                .tag("result", result).register(r);
    }

    static Counter auditWriteFailures(MeterRegistry r) {
        return Counter.builder("portcullis.audit.write.failures")
                .description("Decisions and changes refused because their audit record could not be written").register(r);
    }
}
