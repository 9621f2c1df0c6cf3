package dev.portcullis.testbed;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One HTTP request to a server started on 127.0.0.1, with an admin bearer token when given. */
public final class HttpCalls {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpCalls() {
    }

    /** {@code method path} with {@code body} (none when null) and {@code Authorization: Bearer} when {@code bearer} is not null. */
    public static HttpResponse<String> call(int port, String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
