package dev.portcullis.image;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only registry client: resolves a tag to its manifest digest with {@code HEAD
 * /v2/<name>/manifests/<tag>}, reads manifests and configuration blobs by digest, following the registry's Bearer token challenge (anonymously, or with
 * the credentials configured for that registry; Basic authentication where the registry asks for it).
 * Plain HTTP only for the hosts named insecure (a local test registry); HTTPS everywhere else. A 429
 * is a {@link RegistryThrottledException} with the registry's Retry-After.
 */
public final class RegistryClient {
    private static final String ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Set<String> insecureHosts;
    private final Map<String, RegistryCredentials> credentials;
    private final Map<String, String> authorizations = new java.util.concurrent.ConcurrentHashMap<>();

    public RegistryClient(Set<String> insecureHosts) {
        this(insecureHosts, Map.of());
    }

    /** @param credentials by registry host ({@code registry.example.com}, {@code 127.0.0.1:5000}) */
    public RegistryClient(Set<String> insecureHosts, Map<String, RegistryCredentials> credentials) {
        this.insecureHosts = Set.copyOf(insecureHosts);
        this.credentials = Map.copyOf(credentials);
    }

    /** The digest the registry serves for the reference's tag; a {@link RegistryException} says why not. */
    public Digest resolveDigest(ImageReference ref) {
        String tag = ref.tagOptional().orElse("latest");
        String host = ref.registry().equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : ref.registry();
        String scheme = insecureHosts.contains(ref.registry()) ? "http" : "https";
        URI uri = URI.create(scheme + "://" + host + "/v2/" + ref.repository() + "/manifests/" + tag);
        HttpResponse<Void> r = head(uri, null);
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            RegistryCredentials account = credentials.get(ref.registry());
            r = challenge.regionMatches(true, 0, "Basic", 0, 5) && account != null ? head(uri, account.basic())
                    : head(uri, "Bearer " + token(challenge, ref, account));
        }
        if (r.statusCode() == 429) {
            throw new RegistryThrottledException(ref.registry() + " is throttling look-ups (429)", retryAfter(r));
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new RegistryException(ref + ": the registry refused " + (credentials.containsKey(ref.registry())
                    ? "the configured credentials" : "an anonymous pull") + " (" + r.statusCode() + ")");
        }
        if (r.statusCode() == 404) {
            throw new RegistryException(ref + ": no such tag in " + ref.registry());
        }
        if (r.statusCode() != 200) {
            throw new RegistryException(ref + ": the registry answered " + r.statusCode());
        }
        String digest = r.headers().firstValue("Docker-Content-Digest")
                .orElseThrow(() -> new RegistryException(ref + ": the registry sent no Docker-Content-Digest"));
        try {
            return Digest.parse(digest);
        } catch (InvalidReferenceException e) {
            throw new RegistryException(ref + ": the registry sent a malformed digest");
        }
    }

    /** Bytes a registry served for a digest, checked against it, with the media type it named. */
    public record Content(String mediaType, byte[] bytes) {}

    /**
     * The manifest {@code digest} of the reference's repository, checked against its digest and read
     * into a {@link Manifest} (Docker schema 2, OCI image manifest, OCI index, Docker manifest list).
     */
    public Manifest manifest(ImageReference ref, Digest digest) {
        Content c = manifestContent(ref, digest);
        return Manifest.parse(digest, c.mediaType(), c.bytes());
    }

    /** The manifest's bytes as served, checked against {@code digest}. */
    public Content manifestContent(ImageReference ref, Digest digest) {
        HttpResponse<byte[]> r = get(ref, "manifests/" + digest, ACCEPT);
        return new Content(r.headers().firstValue("Content-Type").orElse("").split(";")[0].strip(), checked(ref, digest, r));
    }

    /** The image configuration blob {@code digest} of the reference's repository, checked against its digest. */
    public ImageConfig config(ImageReference ref, Digest digest) {
        return ImageConfig.parse(blobContent(ref, digest).bytes());
    }

    /** A blob's bytes as served, checked against {@code digest}. */
    public Content blobContent(ImageReference ref, Digest digest) {
        HttpResponse<byte[]> r = get(ref, "blobs/" + digest, "*/*");
        return new Content(r.headers().firstValue("Content-Type").orElse("").split(";")[0].strip(), checked(ref, digest, r));
    }

    /** One page of a listing and where the next starts ("" after the last). */
    public record Page(List<String> items, String next) {
        public Page {
            items = List.copyOf(items);
        }
    }

    /**
     * One page of the registry's repositories ({@code GET /v2/_catalog?n=&last=}, with a
     * {@code registry:catalog:*} token), after {@code last} ("" from the start).
     */
    public Page catalog(String registry, String last, int n) {
        ImageReference ref = new ImageReference(registry, "catalog", null, null);
        String q = "_catalog?n=" + n + (last.isEmpty() ? "" : "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = get(ref, q, registry + " catalog", "application/json");
        List<String> names = listing(r, registry + "/v2/_catalog", "repositories");
        return new Page(names, r.headers().firstValue("Link").isPresent() && !names.isEmpty() ? names.get(names.size() - 1) : "");
    }

    /** Every tag of the reference's repository ({@code GET /v2/NAME/tags/list}, page after page). */
    public List<String> tags(ImageReference ref) {
        List<String> all = new ArrayList<>();
        String last = "";
        while (true) {
            HttpResponse<byte[]> r = get(ref, ref.repository() + "/tags/list?n=1000"
                    + (last.isEmpty() ? "" : "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8)),
                    ref.registry() + "/" + ref.repository(), "application/json");
            if (r.statusCode() == 404) {
                return List.of();   // deleted since the catalog named it
            }
            List<String> page = listing(r, ref.name() + " tags", "tags");
            all.addAll(page);
            if (r.headers().firstValue("Link").isEmpty() || page.isEmpty() || all.size() > 1_000_000) {
                return all;
            }
            last = page.get(page.size() - 1);
        }
    }

    private static List<String> listing(HttpResponse<byte[]> r, String what, String field) {
        if (r.statusCode() >= 500) {
            throw new RegistryUnavailableException(what + ": the registry answered " + r.statusCode());
        }
        if (r.statusCode() != 200) {
            throw new RegistryException(what + ": the registry answered " + r.statusCode());
        }
        com.fasterxml.jackson.databind.JsonNode list;
        try {
            list = dev.portcullis.config.StrictJson.read(r.body()).path(field);
        } catch (dev.portcullis.config.StrictJson.InvalidJsonException e) {
            throw new RegistryException(what + ": not JSON: " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    // Content-addressed: what the registry sent is what the digest names, or nothing.
    private static byte[] checked(ImageReference ref, Digest digest, HttpResponse<byte[]> r) {
        if (r.statusCode() == 404) {
            throw new RegistryException(ref.name() + "@" + digest + ": the registry has no such manifest or blob (404)");
        }
        if (r.statusCode() >= 500) {
            throw new RegistryUnavailableException(ref.name() + "@" + digest + ": the registry answered " + r.statusCode());
        }
        if (r.statusCode() != 200) {
            throw new RegistryException(ref.name() + "@" + digest + ": the registry answered " + r.statusCode());
        }
        if (!digest.algorithm().equals("sha256") || !Digest.sha256(r.body()).equals(digest)) {
            throw new RegistryException(ref.name() + "@" + digest + ": the content the registry sent does not match its digest");
        }
        return r.body();
    }

    private HttpResponse<byte[]> get(ImageReference ref, String path, String accept) {
        return get(ref, ref.repository() + "/" + path, ref.registry() + "/" + ref.repository(), accept);
    }

    // v2Path: what follows /v2/; key: whose token it is (a repository, or the catalog).
    private HttpResponse<byte[]> get(ImageReference ref, String v2Path, String key, String accept) {
        String host = ref.registry().equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : ref.registry();
        String scheme = insecureHosts.contains(ref.registry()) ? "http" : "https";
        URI uri = URI.create(scheme + "://" + host + "/v2/" + v2Path);
        HttpResponse<byte[]> r = getOnce(uri, accept, authorizations.get(key));
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            RegistryCredentials account = credentials.get(ref.registry());
            String auth = challenge.regionMatches(true, 0, "Basic", 0, 5) && account != null ? account.basic()
                    : "Bearer " + token(challenge, ref, account);
            r = getOnce(uri, accept, auth);
            if (r.statusCode() != 401) {
                // Kept for the next read of this repository: one token, not one per manifest and blob.
                if (authorizations.size() > 1000) {
                    authorizations.clear();
                }
                authorizations.put(key, auth);
            }
        }
        if (r.statusCode() == 429) {
            throw new RegistryThrottledException(ref.registry() + " is throttling reads (429)", retryAfter(r));
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new RegistryException(ref.name() + ": the registry refused " + (credentials.containsKey(ref.registry())
                    ? "the configured credentials" : "an anonymous pull") + " (" + r.statusCode() + ")");
        }
        return r;
    }

    private static Duration retryAfter(HttpResponse<?> r) {
        try {
            long s = Long.parseLong(r.headers().firstValue("Retry-After").orElse("").strip());
            return Duration.ofSeconds(Math.max(1, Math.min(s, 3600)));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(10); // none, or an HTTP date: a pause all the same
        }
    }

    private HttpResponse<Void> head(URI uri, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Accept", ACCEPT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build(), HttpResponse.BodyHandlers.discarding());
    }

    // A token from the realm the challenge names, for pull on this repository: with the account if there is one.
    private String token(String challenge, ImageReference ref, RegistryCredentials account) {
        if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new RegistryException(ref.registry() + " wants credentials this client does not have (" + challenge + ")");
        }
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            p.put(m.group(1), m.group(2));
        }
        String realm = p.get("realm");
        if (realm == null) {
            throw new RegistryException(ref.registry() + " sent a Bearer challenge without a realm");
        }
        String scope = p.getOrDefault("scope", "repository:" + ref.repository() + ":pull");
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + "service="
                + URLEncoder.encode(p.getOrDefault("service", ""), StandardCharsets.UTF_8) + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (account != null) {
            request.header("Authorization", account.basic());
        }
        HttpResponse<String> r = send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 429) {
            throw new RegistryThrottledException(ref.registry() + "'s token service is throttling (429)", retryAfter(r));
        }
        Matcher t = Pattern.compile("\"(?:token|access_token)\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (r.statusCode() != 200 || !t.find()) {
            throw new RegistryException(ref.registry() + ": no " + (account == null ? "anonymous " : "") + "pull token ("
                    + r.statusCode() + ")");
        }
        return t.group(1);
    }

    // Reads by digest: a registry that does not answer is unavailable (worth asking again), not wrong.
    private HttpResponse<byte[]> getOnce(URI uri, String accept, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Accept", accept).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (RegistryException e) {
            throw new RegistryUnavailableException(e.getMessage());
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new RegistryException(request.uri().getAuthority() + " did not answer: " + NetworkErrors.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted");
        }
    }
}
