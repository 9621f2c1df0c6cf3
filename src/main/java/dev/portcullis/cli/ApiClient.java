package dev.portcullis.cli;

import dev.portcullis.image.NetworkErrors;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options and HTTP calls the client commands share: server URL and admin token. */
final class ApiClient {
    @Option(names = "--server", defaultValue = "${env:PORTCULLIS_SERVER:-http://127.0.0.1:5001}",
            description = "Portcullis server (env PORTCULLIS_SERVER; default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token-file", defaultValue = "${env:PORTCULLIS_TOKEN_FILE:-data/admin.token}",
            description = "File with the admin API token (env PORTCULLIS_TOKEN_FILE; default ${DEFAULT-VALUE}). "
                    + "PORTCULLIS_ADMIN_TOKEN, if set, is used instead.")
    Path tokenFile;

    /**
     * Prints the server's answer (stdout when it is a success, else stderr, always ending in a newline)
     * and returns the exit code: 0 success, 1 refused (400, 404: the answer says why), 2 anything else.
     */
    static int report(CommandSpec spec, HttpResponse<String> r) {
        boolean ok = r.statusCode() / 100 == 2;
        (ok ? spec.commandLine().getOut() : spec.commandLine().getErr()).print(r.body().endsWith("\n") ? r.body() : r.body() + "\n");
        return ok ? 0 : r.statusCode() == 400 || r.statusCode() == 404 ? 1 : 2;
    }

    // Made on first use: every command line builds this mixin, and an HTTP client loads the TLS stack
    // (about 300 classes), which a lint or a --version never needs.
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpResponse<String> call(String method, String path, String body, String contentType) throws IOException {
        String token = System.getenv("PORTCULLIS_ADMIN_TOKEN");
        if (token == null) {
            if (!Files.isReadable(tokenFile)) {
                throw new IOException("no admin token: set PORTCULLIS_ADMIN_TOKEN or --token-file (" + tokenFile + " is not readable)");
            }
            token = Files.readString(tokenFile).strip();
        }
        String base = server.replaceAll("/+$", "");
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            request = b.build();
        } catch (IllegalArgumentException e) {
            throw new IOException("bad --server URL: " + e.getMessage());
        }
        return send(base, request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} to the server at {@code base}; one it cannot reach is an IOException naming it and the reason. */
    static <T> HttpResponse<T> send(String base, HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException {
        return send(Http.CLIENT, base, request, body);
    }

    /**
     * A client that trusts the CA certificates of {@code caFile} (and only them), TLS 1.2 or newer: for a
     * server whose certificate a private CA signed (cert-manager's, say).
     */
    static HttpClient trusting(Path caFile) throws IOException {
        if (!java.nio.file.Files.isRegularFile(caFile)) {
            throw new IOException("--cacert " + caFile + ": no such file");
        }
        try {
            java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (java.security.cert.X509Certificate c : dev.portcullis.pki.Pem.readCertificates(caFile)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            javax.net.ssl.SSLParameters params = new javax.net.ssl.SSLParameters();
            params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).sslContext(ctx).sslParameters(params).build();
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            throw new IOException("--cacert " + caFile + ": not PEM CA certificates (" + e.getMessage() + ")");
        }
    }

    /** As {@link #send(String, HttpRequest, HttpResponse.BodyHandler)}, with {@code client}. */
    static <T> HttpResponse<T> send(HttpClient client, String base, HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException {
        try {
            return client.send(request, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            throw new IOException("cannot reach " + base + ": " + NetworkErrors.reason(e), e);
        }
    }
}
