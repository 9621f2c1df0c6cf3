package dev.portcullis.server;

import dev.portcullis.admission.Admission;
import dev.portcullis.admission.AdmissionException;
import dev.portcullis.admission.AdmissionRequest;
import dev.portcullis.admission.AdmissionReviewParser;
import dev.portcullis.admission.AdmissionVerdict;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.function.Supplier;

/**
 * {@code POST /admission/validate}: the Kubernetes validating admission webhook. The API server asks
 * with an AdmissionReview and gets one back (200) in the same version; a review it cannot have sent
 * is a 400 naming the reason. Answered while the server is starting too: a denial that says why.
 * With a listener of its own ({@code admission.addr}) it is served there only: the main listener,
 * which registries and administrators reach, answers 404 naming the key.
 */
final class AdmissionRoutes implements HttpService {
    static final String VALIDATE = "/admission/validate";
    static final String MUTATE = "/admission/mutate";

    private final Supplier<Admission> admission;
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> outcomes;
    private final io.micrometer.core.instrument.Timer latency;
    private final boolean ownListener;

    /**
     * The module is looked up per request: the listener starts while the capabilities are still starting.
     *
     * @param ownListener these routes are the webhook's own listener's, not the main one's
     */
    AdmissionRoutes(Supplier<Admission> admission, io.micrometer.core.instrument.MeterRegistry metrics, boolean ownListener) {
        this.admission = admission;
        this.ownListener = ownListener;
        this.outcomes = ServerMetrics.admissionReviewsByOutcome(metrics);
        this.latency = ServerMetrics.admissionLatency(metrics);
    }

    private void count(String outcome, long startNanos) {
        outcomes.get(outcome).increment();
        latency.record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void routing(HttpRules r) {
        r.post(VALIDATE, (req, res) -> {
            long start = System.nanoTime();
            byte[] body = RequestBody.bytes(req);
            Admission a = admission.get();
            if (a == null) {
                // Fail closed, and say why: the API server shows the message to whoever applied the workload.
                AdmissionRequest request = parse(new AdmissionReviewParser(Integer.MAX_VALUE), body, start);
                JsonAnswer.send(res, Status.OK_200, AdmissionVerdict.unavailable(request,
                        "Portcullis is starting and has not loaded its policy yet: try again in a few seconds").review());
                count("starting", start);
                return;
            }
            if (a.ownListener() && !ownListener) {
                JsonAnswer.send(res, Status.NOT_FOUND_404, java.util.Map.of("error",
                        "the admission webhook is served on its own TLS listener (admission.addr), not on this one"));
                return;
            }
            if (!a.enabled()) {
                JsonAnswer.send(res, Status.NOT_FOUND_404, java.util.Map.of("error",
                        "the admission webhook is off: set admission.enabled: true (PORTCULLIS_ADMISSION_ENABLED=true) "
                                + "where only the Kubernetes API server can reach this listener"));
                return;
            }
            AdmissionVerdict verdict = a.reviewer().review(parse(a.parser(), body, start));
            JsonAnswer.send(res, Status.OK_200, verdict.review());
            count(verdict.allowed() ? "allowed" : "denied", start);
        });
        r.post(MUTATE, (req, res) -> {
            byte[] body = RequestBody.bytes(req);
            Admission a = admission.get();
            if (a == null) {
                // Nothing is pinned while starting; the validating webhook still judges what comes.
                AdmissionRequest request = new AdmissionReviewParser(Integer.MAX_VALUE).parse(body);
                JsonAnswer.send(res, Status.OK_200, java.util.Map.of("apiVersion", request.apiVersion(), "kind", "AdmissionReview",
                        "response", java.util.Map.of("uid", request.uid(), "allowed", true,
                                "warnings", java.util.List.of("Portcullis is starting: the images' tags were not pinned to digests"))));
                return;
            }
            if ((a.ownListener() && !ownListener) || a.mutator().isEmpty() || !a.enabled()) {
                JsonAnswer.send(res, Status.NOT_FOUND_404, java.util.Map.of("error", a.mutator().isEmpty() || !a.enabled()
                        ? "the mutating webhook is off: set admission.enabled and admission.mutate.enabled to true"
                        : "the admission webhook is served on its own TLS listener (admission.addr), not on this one"));
                return;
            }
            JsonAnswer.send(res, Status.OK_200, a.mutator().get().mutate(a.parser().parse(body)));
        });
    }

    // A review the API server cannot have sent is counted, then answered 400 by the error mapping.
    private AdmissionRequest parse(AdmissionReviewParser parser, byte[] body, long start) {
        try {
            return parser.parse(body);
        } catch (AdmissionException e) {
            count("bad_request", start);
            throw e;
        }
    }
}
