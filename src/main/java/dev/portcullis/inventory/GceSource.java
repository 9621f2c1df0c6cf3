package dev.portcullis.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.portcullis.config.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Google Compute Engine: the running instances of each project through {@code instances.aggregatedList}
 * (every zone in one listing, page by page), their internal ({@code networkIP}, {@code ipv6Address})
 * and/or external ({@code accessConfigs[].natIP}, {@code ipv6AccessConfigs[].externalIpv6}) addresses,
 * kept only when the instance carries every configured label (a GKE cluster's nodes carry
 * {@code goog-k8s-cluster-name}). Service-account credentials through Google's auth library.
 */
public final class GceSource implements Source {
    private static final String SCOPE = "https://www.googleapis.com/auth/compute.readonly";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SourceSettings.Gce settings;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private GoogleCredentials credentials;

    public GceSource(SourceSettings.Gce settings) {
        this.settings = settings;
    }

    @Override
    public String kind() {
        return "gce";
    }

    @Override
    public Optional<List<Cidr>> fetch(Pacer pacer) {
        String bearer = "Bearer " + accessToken();
        List<Cidr> out = new ArrayList<>();
        for (String project : settings.projects()) {
            String pageToken = null;
            do {
                StringBuilder q = new StringBuilder("?maxResults=500");
                settings.filter().ifPresent(f -> q.append("&filter=").append(URLEncoder.encode(f, StandardCharsets.UTF_8)));
                if (pageToken != null) {
                    q.append("&pageToken=").append(URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
                }
                URI uri = settings.apiUrl().resolve("projects/" + project + "/aggregated/instances" + q);
                HttpRequest req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", bearer)
                        .header("Accept", "application/json").build();
                JsonNode page = read(SourceHttp.send(client, req, pacer, "GCE (project " + project + ")").body(), project);
                JsonNode unreachable = page.path("unreachables");
                if (unreachable.isArray() && !unreachable.isEmpty()) {
                    // A partial listing would drop the hosts of the zones not answering: keep the last good one.
                    throw new SourceException("GCE (project " + project + ") could not reach " + unreachable);
                }
                Iterator<Map.Entry<String, JsonNode>> scopes = page.path("items").fields();
                while (scopes.hasNext()) {
                    for (JsonNode instance : scopes.next().getValue().path("instances")) {
                        addresses(instance, out);
                    }
                }
                pageToken = page.path("nextPageToken").asText("");
                pageToken = pageToken.isEmpty() ? null : pageToken;
            } while (pageToken != null);
        }
        return Optional.of(out);
    }

    private void addresses(JsonNode instance, List<Cidr> out) {
        if (!"RUNNING".equals(instance.path("status").asText())) {
            return;
        }
        JsonNode labels = instance.path("labels");
        for (var want : settings.labels().entrySet()) {
            if (!want.getValue().equals(labels.path(want.getKey()).asText(null))) {
                return;
            }
        }
        for (JsonNode nic : instance.path("networkInterfaces")) {
            if (settings.internal()) {
                add(nic.path("networkIP"), out);
                add(nic.path("ipv6Address"), out);
            }
            if (settings.external()) {
                for (JsonNode ac : nic.path("accessConfigs")) {
                    add(ac.path("natIP"), out);
                }
                for (JsonNode ac : nic.path("ipv6AccessConfigs")) {
                    add(ac.path("externalIpv6"), out);
                }
            }
        }
    }

    private static void add(JsonNode address, List<Cidr> out) {
        if (address.isTextual() && !address.asText().isEmpty()) {
            out.add(Cidr.parse(address.asText()));
        }
    }

    private static JsonNode read(byte[] body, String project) {
        try {
            return StrictJson.read(body);
        } catch (RuntimeException e) {
            throw new SourceException("GCE (project " + project + ") answered JSON we cannot read: " + e.getMessage());
        }
    }

    // The service account's access token, refreshed by the library when it is about to expire.
    private synchronized String accessToken() {
        try {
            if (credentials == null) {
                if (settings.credentialsFile().isPresent()) {
                    try (InputStream in = Files.newInputStream(settings.credentialsFile().get())) {
                        credentials = GoogleCredentials.fromStream(in).createScoped(SCOPE);
                    }
                } else {
                    credentials = GoogleCredentials.getApplicationDefault().createScoped(SCOPE);
                }
                // The library retries a failed token request for seconds on its own; the set's back-off decides instead.
                if (credentials instanceof ServiceAccountCredentials sa) {
                    credentials = sa.toBuilder().setDefaultRetriesEnabled(false).build();
                }
            }
            credentials.refreshIfExpired();
            return credentials.getAccessToken().getTokenValue();
        } catch (IOException | RuntimeException e) {
            // The library's message names the file or the token endpoint's answer, never the key.
            throw new SourceException("GCE credentials: " + e.getMessage(), false, null, e);
        }
    }
}
