package dev.portcullis.server;

import dev.portcullis.admission.Admission;
import dev.portcullis.admission.ContinuousValidation;
import dev.portcullis.admission.Violation;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /admission/v1/violations} (an admin token): the running pods whose images the policy in
 * force denies, found by continuous validation, with the reason and since when; and their metrics.
 */
final class ViolationRoutes implements HttpService {
    static final String PATH = "/admission/v1/violations";

    private final Supplier<Admission> admission;
    private final AdminApi api;

    ViolationRoutes(Supplier<Admission> admission, AdminApi api, MeterRegistry metrics) {
        this.admission = admission;
        this.api = api;
        Gauge.builder("portcullis.admission.violations", () -> validation().map(ContinuousValidation::count).orElse(0))
                .description("Images of running pods that the policy in force denies now (continuous validation)").register(metrics);
        FunctionCounter.builder("portcullis.admission.violations.found", this, r -> r.validation().map(ContinuousValidation::found)
                        .orElse(0L))
                .description("Images of running pods found breaking the policy since the start").register(metrics);
    }

    private Optional<ContinuousValidation> validation() {
        Admission a = admission.get();
        return a == null ? Optional.empty() : a.validation();
    }

    @Override
    public void routing(HttpRules r) {
        r.get(PATH, api.guarded((req, res, who) -> {
            Optional<ContinuousValidation> v = validation();
            if (v.isEmpty()) {
                JsonAnswer.send(res, Status.NOT_FOUND_404, Map.of("error", admission.get() == null
                        ? "starting: the pods are not known yet" : "continuous validation is off: set kubernetes.enabled: true "
                        + "(PORTCULLIS_KUBERNETES_ENABLED=true) so that the cluster's pods are watched"));
                return;
            }
            Optional<String> notYet = v.get().notKnownYet();
            if (notYet.isPresent()) {
                // Fail closed: an empty list would say the cluster is clean before anyone has looked at it.
                res.header(io.helidon.http.HeaderNames.RETRY_AFTER, "5");
                JsonAnswer.send(res, Status.SERVICE_UNAVAILABLE_503, Map.of("error", notYet.get()));
                return;
            }
            List<Map<String, Object>> out = v.get().violations().stream().map(ViolationRoutes::json).toList();
            JsonAnswer.send(res, Status.OK_200, Map.of("violations", out));
        }));
    }

    private static Map<String, Object> json(Violation v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", v.namespace());
        m.put("pod", v.pod());
        m.put("workload", v.owner());
        m.put("image", v.image());
        m.put("container", v.field());
        m.put("reason", v.reason());
        m.put("breakGlass", v.breakGlass());
        m.put("since", v.since().toString());
        return m;
    }
}
