package dev.portcullis.inventory;

import dev.portcullis.config.ConfigSection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code http}, {@code gce} and {@code ec2} source sections of a set. */
final class SourceParsing {
    private SourceParsing() {}

    static SourceSettings.Http http(ConfigSection s) {
        s.rejectUnknown(Set.of("url", "token_file", "pointer", "field", "timeout"));
        if (!s.has("url")) {
            throw s.error("url", "is required: the URL that answers the JSON list");
        }
        URI url = InventorySettings.uri(s, "url", "");
        String pointer = s.string("pointer", "");
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            throw s.error("pointer", "must be a JSON Pointer such as /hosts (or empty: the answer is the array)");
        }
        return new SourceSettings.Http(url, s.readableFile("token_file"), pointer, s.string("field", "ip"),
                s.duration("timeout", Duration.ofSeconds(30)));
    }

    static SourceSettings.Gce gce(ConfigSection s) {
        s.rejectUnknown(Set.of("projects", "filter", "labels", "addresses", "credentials_file", "api_url"));
        List<String> projects = s.stringList("projects");
        if (projects.isEmpty()) {
            throw s.error("projects", "is required: the GCP projects whose instances are listed");
        }
        for (String p : projects) {
            if (!p.matches("[a-z][a-z0-9.:-]{4,62}")) {
                throw s.error("projects", "'" + IpLiteral.printable(p) + "' is not a GCP project id");
            }
        }
        Set<String> addresses = addresses(s, Set.of("internal", "external"), "internal");
        return new SourceSettings.Gce(projects, s.string("filter"), InventorySettings.stringMap(s, "labels"),
                addresses.contains("internal"), addresses.contains("external"), s.readableFile("credentials_file"),
                slashed(InventorySettings.uri(s, "api_url", "https://compute.googleapis.com/compute/v1/")));
    }

    static SourceSettings.Kubernetes kubernetes(ConfigSection s) {
        s.rejectUnknown(Set.of("namespaces", "labels", "addresses"));
        Set<String> addresses = addresses(s, Set.of("pod", "node"), "node");
        return new SourceSettings.Kubernetes(s.stringList("namespaces"), InventorySettings.stringMap(s, "labels"),
                addresses.contains("pod"), addresses.contains("node"));
    }

    static SourceSettings.Ec2 ec2(ConfigSection s) {
        s.rejectUnknown(Set.of("regions", "roles", "tags", "addresses", "endpoint", "sts_endpoint"));
        List<String> regions = s.stringList("regions");
        if (regions.isEmpty()) {
            throw s.error("regions", "is required: the AWS regions whose instances are listed, such as [us-east-1]");
        }
        for (String r : regions) {
            if (!r.matches("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}")) {
                throw s.error("regions", "'" + IpLiteral.printable(r) + "' is not an AWS region such as us-east-1");
            }
        }
        for (String role : s.stringList("roles")) {
            if (!role.matches("arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]{1,512}")) {
                throw s.error("roles", "'" + IpLiteral.printable(role) + "' is not an IAM role ARN such as arn:aws:iam::123456789012:role/inventory");
            }
        }
        Set<String> addresses = addresses(s, Set.of("private", "public"), "private");
        Optional<URI> endpoint = s.has("endpoint") ? Optional.of(InventorySettings.uri(s, "endpoint", "")) : Optional.empty();
        Optional<URI> sts = s.has("sts_endpoint") ? Optional.of(InventorySettings.uri(s, "sts_endpoint", "")) : Optional.empty();
        return new SourceSettings.Ec2(regions, s.stringList("roles"), s.stringMultiMap("tags"), addresses.contains("private"),
                addresses.contains("public"), endpoint, sts);
    }

    // Paths are resolved against it: without the trailing slash its last segment would be dropped.
    private static URI slashed(URI u) {
        return u.getPath().endsWith("/") ? u : URI.create(u + "/");
    }

    private static Set<String> addresses(ConfigSection s, Set<String> known, String dflt) {
        List<String> list = s.has("addresses") ? s.stringList("addresses") : List.of(dflt);
        for (String a : list) {
            if (!known.contains(a)) {
                throw s.error("addresses", "'" + IpLiteral.printable(a) + "' is not one of " + String.join(", ", known.stream().sorted().toList()));
            }
        }
        if (list.isEmpty()) {
            throw s.error("addresses", "must name at least one of " + String.join(", ", known.stream().sorted().toList()));
        }
        return Set.copyOf(list);
    }
}
