package dev.portcullis.inventory;

import dev.portcullis.workload.Workloads;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where one set comes from, as configured: exactly one of these per set. */
public sealed interface SourceSettings {
    /** A file, one entry a line. */
    record File(Path file) implements SourceSettings {}

    /** A generic HTTP JSON source. */
    record Http(URI url, Optional<Path> tokenFile, String pointer, String field, Duration timeout) implements SourceSettings {}

    /**
     * GCE instances of some projects ({@code instances.aggregatedList}): an API filter, labels every
     * instance must carry (a GKE node pool's, say), which addresses, the credentials file (the
     * application default when absent) and the API's URL (overridden in tests).
     */
    record Gce(List<String> projects, Optional<String> filter, Map<String, String> labels, boolean internal, boolean external,
               Optional<Path> credentialsFile, URI apiUrl) implements SourceSettings {
        public Gce {
            projects = List.copyOf(projects);
            labels = Map.copyOf(labels);
        }
    }

    /**
     * EC2 instances ({@code DescribeInstances}) in some regions, under the default credentials or
     * each assumed role, with tag filters; the endpoints are overridden in tests.
     */
    record Ec2(List<String> regions, List<String> roles, Map<String, List<String>> tags, boolean privateAddresses,
               boolean publicAddresses, Optional<URI> endpoint, Optional<URI> stsEndpoint) implements SourceSettings {
        public Ec2 {
            regions = List.copyOf(regions);
            roles = List.copyOf(roles);
            tags = Map.copyOf(tags);
        }
    }

    /**
     * The cluster's pods as the {@code workload} capability watches them: their addresses and/or their
     * nodes', of some namespaces (all watched when empty) and carrying these pod labels.
     */
    record Kubernetes(List<String> namespaces, Map<String, String> labels, boolean pods, boolean nodes) implements SourceSettings {
        public Kubernetes {
            namespaces = List.copyOf(namespaces);
            labels = Map.copyOf(labels);
        }
    }

    /** The source that fetches what these settings name; a Kubernetes one needs the pod watch of {@code workloads}. */
    static Source open(SourceSettings settings, Optional<Workloads> workloads) {
        return switch (settings) {
            case File f -> new FileSource(f.file());
            case Http h -> new HttpJsonSource(h);
            case Gce g -> new GceSource(g);
            case Ec2 e -> new Ec2Source(e);
            case Kubernetes k -> new KubernetesSource(k, workloads.filter(Workloads::watching).orElseThrow(() -> new InventoryException(
                    "a kubernetes set reads the pods the kubernetes section watches: set kubernetes.enabled: true")).pods());
        };
    }
}
