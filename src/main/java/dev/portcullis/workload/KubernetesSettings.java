package dev.portcullis.workload;

import dev.portcullis.config.ConfigSection;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code kubernetes} section: whether the cluster's pods are watched (off by default), how the API
 * server is reached — in the cluster, its service account (the default); elsewhere a kubeconfig file,
 * or an API URL with a bearer-token file and a CA file — which namespaces, whether violations are
 * posted as Events on the pods, and whether violating pods are labelled (off by default: it writes to
 * the pods, and needs {@code patch} on them).
 */
public record KubernetesSettings(boolean enabled, Optional<URI> apiUrl, Optional<Path> kubeconfig, Optional<Path> tokenFile,
                                 Optional<Path> caFile, List<String> namespaces, boolean events, boolean labelViolations) {
    public KubernetesSettings {
        namespaces = List.copyOf(namespaces);
        if (apiUrl.isPresent() && kubeconfig.isPresent()) {
            throw new IllegalArgumentException("kubernetes.api_url and kubernetes.kubeconfig exclude each other");
        }
    }

    /** Reads the section; absent: off. */
    public static KubernetesSettings from(ConfigSection root) {
        ConfigSection s = root.section("kubernetes");
        s.rejectUnknown(Set.of("enabled", "api_url", "kubeconfig", "token_file", "ca_file", "namespaces", "events",
                "label_violations"));
        Optional<URI> url = s.string("api_url").map(u -> {
            try {
                URI uri = URI.create(u);
                if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                    throw s.error("api_url", "must be the API server's http or https URL, such as https://10.0.0.1:6443");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw s.error("api_url", "must be the API server's http or https URL, such as https://10.0.0.1:6443");
            }
        });
        Optional<Path> kubeconfig = s.readableFile("kubeconfig");
        if (url.isPresent() && kubeconfig.isPresent()) {
            throw s.error("kubeconfig", "and kubernetes.api_url exclude each other: name one");
        }
        Optional<Path> token = s.readableFile("token_file");
        Optional<Path> ca = s.readableFile("ca_file");
        if (url.isEmpty() && (token.isPresent() || ca.isPresent())) {
            throw s.error(token.isPresent() ? "token_file" : "ca_file", "needs kubernetes.api_url");
        }
        List<String> namespaces = s.stringList("namespaces");
        for (String n : namespaces) {
            if (!n.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw s.error("namespaces", "'" + n + "' is not a Kubernetes namespace name");
            }
        }
        return new KubernetesSettings(s.bool("enabled", false), url, kubeconfig, token, ca, namespaces, s.bool("events", true),
                s.bool("label_violations", false));
    }
}
