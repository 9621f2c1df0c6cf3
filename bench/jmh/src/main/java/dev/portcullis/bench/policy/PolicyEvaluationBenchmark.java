package dev.portcullis.bench.policy;

import dev.portcullis.attest.ArtifactUrl;
import dev.portcullis.attest.AttestationIndex;
import dev.portcullis.attest.VerifiedAttestation;
import dev.portcullis.image.Digest;
import dev.portcullis.policy.BinauthzPolicy;
import dev.portcullis.policy.EvaluationContext;
import dev.portcullis.policy.PolicyDecision;
import dev.portcullis.policy.PolicyEvaluator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One evaluation of a pod with 3 images against a policy with 100 rules (namespace rules, each
 * requiring 2 attestors) and 10,000 stored attestations, on one thread. Goal: 100,000 evaluations/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class PolicyEvaluationBenchmark {
    private PolicyEvaluator evaluator;
    private BinauthzPolicy policy;
    private List<String> pod;
    private EvaluationContext ctx;

    @Setup
    public void setUp() {
        StringBuilder yaml = new StringBuilder("""
                admissionWhitelistPatterns:
                - namePattern: gcr.io/google_containers/*
                defaultAdmissionRule:
                  evaluationMode: REQUIRE_ATTESTATION
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  requireAttestationsBy: [projects/p/attestors/a0]
                kubernetesNamespaceAdmissionRules:
                """);
        for (int i = 0; i < 99; i++) {
            yaml.append("  ns").append(i).append(":\n    evaluationMode: REQUIRE_ATTESTATION\n")
                    .append("    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n")
                    .append("    requireAttestationsBy: [projects/p/attestors/a").append(i % 10)
                    .append(", projects/p/attestors/b").append(i % 10).append("]\n");
        }
        policy = BinauthzPolicy.parse(yaml.toString(), "bench");
        List<VerifiedAttestation> attested = new java.util.ArrayList<>();
        Instant now = Instant.now();
        Digest[] digests = new Digest[5000];
        for (int i = 0; i < digests.length; i++) {
            digests[i] = Digest.sha256(("image-" + i).getBytes(StandardCharsets.UTF_8));
            for (String attestor : List.of("projects/p/attestors/a" + (i % 10), "projects/p/attestors/b" + (i % 10))) {
                attested.add(new VerifiedAttestation(attestor, "key-" + (i % 3), new ArtifactUrl("gcr.io/p/app" + i, digests[i]), now));
            }
        }
        AttestationIndex index = AttestationIndex.EMPTY.withAttestations(attested);
        evaluator = new PolicyEvaluator(index, Clock.systemUTC());
        pod = List.of("gcr.io/p/app17@" + digests[17], "gcr.io/p/app27@" + digests[27], "gcr.io/p/app37@" + digests[37]);
        ctx = new EvaluationContext(Optional.of("us.prod"), Optional.of("ns7"), Optional.of("web"), Optional.empty());
        PolicyDecision d = evaluator.evaluate(policy, pod, ctx);
        if (!d.allowed()) {
            throw new IllegalStateException("the benchmark pod must be allowed: " + d);
        }
        System.out.println("policy benchmark: 100 rules, " + index.size() + " attestations, 3 images per pod");
    }

    @Benchmark
    public PolicyDecision evaluatePod() {
        return evaluator.evaluate(policy, pod, ctx);
    }
}
