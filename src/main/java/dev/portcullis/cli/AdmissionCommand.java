package dev.portcullis.cli;

import dev.portcullis.admission.AdmissionException;
import dev.portcullis.admission.AdmissionVerdict;
import dev.portcullis.admission.ManifestExplanation;
import dev.portcullis.admission.ManifestObjects;
import dev.portcullis.admission.WebhookManifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis admission manifests|explain}: the webhook's configuration for a cluster, and its verdict on a manifest. */
@Command(name = "admission", mixinStandardHelpOptions = true, description = "The Kubernetes admission webhook.",
        subcommands = {AdmissionCommand.Manifests.class, AdmissionCommand.Explain.class})
final class AdmissionCommand {
    /** The most a manifest may hold, as the webhook's listener takes no larger body. */
    private static final int MAX_MANIFEST = 8 * 1024 * 1024;

    /** {@code admission manifests}: prints the ValidatingWebhookConfiguration for {@code kubectl apply -f -}. */
    @Command(name = "manifests", mixinStandardHelpOptions = true,
            description = "Prints the ValidatingWebhookConfiguration that sends pod and controller reviews to the webhook.")
    static final class Manifests implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--namespace", required = true, description = "Namespace of the webhook's Service (left out of the webhook).")
        String namespace;

        @Option(names = "--service", required = true, description = "Name of the webhook's Service.")
        String service;

        @Option(names = "--ca", required = true, paramLabel = "FILE", description = "PEM file of the CA that signs the webhook's certificate.")
        Path ca;

        @Option(names = "--port", defaultValue = "443", description = "The Service's port (default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--timeout-seconds", defaultValue = "5", description = "How long the API server waits, 1 to 30 (default ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--path", defaultValue = WebhookManifest.DEFAULT_PATH, description = "The webhook's path (default ${DEFAULT-VALUE}).")
        String path;

        @Option(names = "--mutating", description = "Also print the MutatingWebhookConfiguration (admission.mutate.enabled: pods' tags pinned to digests).")
        boolean mutating;

        @Override
        public Integer call() {
            try {
                spec.commandLine().getOut().print(WebhookManifest.of(namespace, service, ca, port, timeoutSeconds, path).yaml(mutating));
                return 0;
            } catch (AdmissionException e) {
                spec.commandLine().getErr().println("portcullis admission manifests: " + e.getMessage());
                return 2;
            }
        }
    }

    /** {@code admission explain}: the webhook's verdict on every object of a manifest. Exit 0 allowed, 1 denied, 2 bad input. */
    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "The webhook's verdict on every image of a manifest, offline (--policy) or from a server (--server). "
                    + "Exit 0 all allowed, 1 something denied, 2 bad input.")
    static final class Explain implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The manifest (YAML or JSON, several documents); - reads standard input.")
        String file;

        @Option(names = "--policy", paramLabel = "FILE", description = "Judge offline against this policy YAML (knows no attestation).")
        Path policy;

        @Option(names = "--server", paramLabel = "URL", description = "Ask this server's /admission/validate instead.")
        String server;

        @Option(names = "--cacert", paramLabel = "FILE", description = "With --server https://...: trust the CA certificates of this PEM file (cert-manager's CA, say).")
        Path cacert;

        @Option(names = "--namespace", defaultValue = "default", description = "Namespace of objects that name none (default ${DEFAULT-VALUE}).")
        String namespace;

        private java.net.http.HttpClient client;

        @Option(names = "--cluster", description = "Offline: the cluster's name, as admission.cluster (a clusterAdmissionRules key).")
        String cluster;

        @Option(names = "--trust-domain", defaultValue = "cluster.local", description = "Offline: Istio's trust domain (default ${DEFAULT-VALUE}).")
        String trustDomain;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            if ((policy == null) == (server == null)) {
                err.println("portcullis admission explain: give --policy FILE (offline) or --server URL, one of them");
                return 2;
            }
            List<ManifestObjects.Entry> entries;
            Function<byte[], AdmissionVerdict> judge;
            try {
                entries = ManifestObjects.read(manifest(), file.equals("-") ? "(stdin)" : file, namespace);
                if (cacert != null && server == null) {
                    throw new IOException("--cacert goes with --server https://...");
                }
                client = cacert == null ? null : ApiClient.trusting(cacert);
                judge = policy != null ? offline() : this::ask;
            } catch (IOException | RuntimeException e) {
                err.println("portcullis admission explain: " + e.getMessage());
                return 2;
            }
            boolean denied = false;
            boolean attestationsAsked = false;
            for (ManifestObjects.Entry entry : entries) {
                if (!entry.judged()) {
                    out.println(ManifestExplanation.notJudged(entry));
                    continue;
                }
                AdmissionVerdict v;
                try {
                    v = judge.apply(entry.review());
                } catch (AdmissionException e) {
                    err.println("portcullis admission explain: " + ManifestExplanation.inManifest(entry, e.getMessage()));
                    return 2;
                } catch (UnreachableException e) {
                    err.println("portcullis admission explain: " + e.getMessage());
                    return 2;
                }
                ManifestExplanation.lines(entry, v).forEach(out::println);
                denied |= !v.allowed();
                String rules = v.auditAnnotations().getOrDefault("rules", "");
                attestationsAsked |= rules.contains(" NO_ATTESTATION") || rules.contains(" THRESHOLD_NOT_MET");
            }
            if (policy != null && attestationsAsked) {
                out.println("note: offline, no attestation is known, so a rule that requires attestations denies every image "
                        + "by digest; ask a server (--server URL) for those");
            }
            return denied ? 1 : 0;
        }

        private String manifest() throws IOException {
            byte[] bytes;
            if (file.equals("-")) {
                try (InputStream in = System.in) {
                    bytes = in.readNBytes(MAX_MANIFEST + 1);
                }
            } else {
                Path p = Path.of(file);
                if (!Files.isRegularFile(p)) {
                    throw new IOException(file + ": no such file");
                }
                if (Files.size(p) > MAX_MANIFEST) {
                    throw new IOException(file + ": larger than 8 MiB");
                }
                bytes = Files.readAllBytes(p);
            }
            if (bytes.length > MAX_MANIFEST) {
                throw new IOException("the manifest on standard input is larger than 8 MiB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private Function<byte[], AdmissionVerdict> offline() throws IOException {
            if (!Files.isRegularFile(policy)) {
                throw new IOException("--policy " + policy + ": no such file");
            }
            return ManifestExplanation.offline(Files.readString(policy), policy.toString(),
                    Optional.ofNullable(cluster).filter(c -> !c.isBlank()), trustDomain, Clock.systemUTC());
        }

        private AdmissionVerdict ask(byte[] review) {
            String base = server.replaceAll("/+$", "");
            HttpResponse<byte[]> r;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + WebhookManifest.DEFAULT_PATH)).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(review)).build();
                r = client == null ? ApiClient.send(base, request, HttpResponse.BodyHandlers.ofByteArray())
                        : ApiClient.send(client, base, request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IllegalArgumentException e) {
                throw new UnreachableException("bad --server URL: " + e.getMessage());
            } catch (IOException e) {
                throw new UnreachableException(e.getMessage());
            }
            if (r.statusCode() == 400) {
                // The webhook's parser refused the object: its reason, as offline.
                throw new AdmissionException(errorOf(r.body()));
            }
            if (r.statusCode() != 200) {
                throw new UnreachableException(base + WebhookManifest.DEFAULT_PATH + " answered " + r.statusCode() + ": "
                        + errorOf(r.body()));
            }
            return ManifestExplanation.fromAnswer(r.body());
        }

        private static String errorOf(byte[] body) {
            String text = new String(body, StandardCharsets.UTF_8);
            try {
                var error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text).path("error");
                return error.isTextual() ? error.asText() : text.strip();
            } catch (IOException e) {
                return text.strip();
            }
        }
    }

    /** The server could not be asked, or did not answer as the webhook does. */
    private static final class UnreachableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreachableException(String message) {
            super(message, null, false, false);
        }
    }
}
