package dev.portcullis.server;

import dev.portcullis.audit.AuditException;
import dev.portcullis.registryauth.AuthServiceException;
import dev.portcullis.registryauth.AuthenticationFailedException;
import dev.portcullis.registryauth.InvalidTokenRequestException;
import dev.portcullis.registryauth.TokenRequest;
import dev.portcullis.registryauth.TokenRequestParser;
import dev.portcullis.registryauth.TokenResponse;
import dev.portcullis.registryauth.TokenService;
import dev.portcullis.registryauth.TokenSigner;
import dev.portcullis.registryauth.TooManyAttemptsException;
import dev.portcullis.store.StoreException;
import io.helidon.http.HeaderNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET/POST <path_prefix>/auth} and the JWKS document; maps the token authority's outcomes to HTTP. */
final class TokenRoutes implements HttpService {

    private final Supplier<TokenService> service;
    private final Supplier<TokenSigner> signer;
    private final ClientAddress clientAddress;
    private final Supplier<String> realm;
    private final io.micrometer.core.instrument.Timer latency;
    private final io.micrometer.core.instrument.Counter auditFailures;
    private final String prefix;
    private final Map<String, io.micrometer.core.instrument.Counter> outcomes;
    private final io.micrometer.core.instrument.Counter throttled;
    private final Supplier<dev.portcullis.registryauth.ExternalCalls> externalCalls;

    /** The service and signer are looked up per request: the listener starts while they are still being built. */
    TokenRoutes(Supplier<TokenService> service, Supplier<TokenSigner> signer, ClientAddress clientAddress, Supplier<String> realm,
                MeterRegistry metrics, String prefix, Supplier<dev.portcullis.registryauth.ExternalCalls> externalCalls) {
        this.externalCalls = externalCalls; // held here: the counters read it through a weak reference
        ServerMetrics.externalCalls(metrics, externalCalls);
        this.throttled = ServerMetrics.loginsThrottled(metrics);
        this.latency = ServerMetrics.tokenLatency(metrics);
        this.outcomes = ServerMetrics.tokenRequestsByOutcome(metrics);
        this.auditFailures = ServerMetrics.auditWriteFailures(metrics);
        this.prefix = prefix;
        this.service = service;
        this.signer = signer;
        this.clientAddress = clientAddress;
        this.realm = realm;
    }

    @Override
    public void routing(HttpRules routing) {
        routing.get(prefix + "/auth", this::get);
        routing.post(prefix + "/auth", this::post);
        routing.get(prefix + "/.well-known/jwks.json", this::jwks);
        if (!prefix.isEmpty()) {
            routing.get("/.well-known/jwks.json", this::jwks);
        }
    }

    private void get(ServerRequest req, ServerResponse res) {
        handle(res, false, () -> TokenRequestParser.fromQuery(req.query().rawValue(),
                req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), clientAddress.of(req)));
    }

    private void post(ServerRequest req, ServerResponse res) {
        handle(res, true, () -> {
            String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
            if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                throw new InvalidTokenRequestException("POST /auth takes application/x-www-form-urlencoded");
            }
            return TokenRequestParser.fromForm(readBounded(req), clientAddress.of(req));
        });
    }

    private void handle(ServerResponse res, boolean oauth, Supplier<TokenRequest> parse) {
        long start = System.nanoTime();
        try {
            handle0(res, oauth, parse);
        } finally {
            latency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            // Virtual threads are not time-sliced: a keep-alive client that always has its next request
            // ready would keep its carrier. Yielding after each answer serves connections in turn, which
            // halved the p99 under 32 busy clients (BENCHMARKS.md).
            Thread.yield();
        }
    }

    private void handle0(ServerResponse res, boolean oauth, Supplier<TokenRequest> parse) {
        try {
            TokenRequest request = parse.get();
            TokenResponse token = DecisionThread.call(() -> service.get().issue(request));
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            JsonAnswer.send(res, Status.OK_200, TokenAnswer.json(token, oauth));
            count("issued");
        } catch (InvalidTokenRequestException e) {
            error(res, Status.BAD_REQUEST_400, "UNSUPPORTED", oauth ? "invalid_request" : null, e.getMessage());
            count("bad_request");
        } catch (AuthenticationFailedException e) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + realm.get() + "\"");
            error(res, Status.UNAUTHORIZED_401, "UNAUTHORIZED", oauth ? "invalid_grant" : null, e.getMessage());
            count("unauthorized");
        } catch (TooManyAttemptsException e) {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
            error(res, Status.TOO_MANY_REQUESTS_429, "TOOMANYREQUESTS", oauth ? "slow_down" : null, e.getMessage());
            count("throttled");
            throttled.increment();
        } catch (AuthServiceException | AuditException | StoreException e) {
            // Fail closed: no token when a decision or its audit record could not be made. The cause (a
            // driver's message, a hook's path) goes to the server's log, not to anyone who asks.
            logUnavailable(e);
            error(res, Status.SERVICE_UNAVAILABLE_503, "UNAVAILABLE", oauth ? "temporarily_unavailable" : null,
                    e instanceof AuthServiceException
                            ? "cannot decide now: an external authenticator or authorizer failed (the cause is in the server's log)"
                            : "cannot decide now: the store or the audit log is unavailable (the cause is in the server's log)");
            if (e instanceof AuditException) {
                auditFailures.increment();
            }
            count("unavailable");
        }
    }

    // One line a second at most: an outage would otherwise write one per request.
    private static final java.util.concurrent.atomic.AtomicLong NEXT_UNAVAILABLE_LOG = new java.util.concurrent.atomic.AtomicLong();

    private static void logUnavailable(RuntimeException e) {
        long now = System.currentTimeMillis();
        long next = NEXT_UNAVAILABLE_LOG.get();
        if (now >= next && NEXT_UNAVAILABLE_LOG.compareAndSet(next, now + 1000)) {
            System.getLogger(TokenRoutes.class.getName()).log(System.Logger.Level.WARNING,
                    "token requests answered 503: " + HelidonLogHygiene.printable(e.getMessage()));
        }
    }

    private void count(String outcome) {
        outcomes.get(outcome).increment();
    }

    private void jwks(ServerRequest req, ServerResponse res) {
        send(res, Status.OK_200, signer.get().jwks());
    }

    private static String readBounded(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            // One byte past the parser's limit, so that the parser refuses an oversize form with its message.
            byte[] body = in.readNBytes(TokenRequestParser.MAX_QUERY + 1);
            // One character per byte, unchanged: the parser refuses the bytes that are not ASCII (US-ASCII
            // decoding would have turned each into U+FFFD, a valid-looking character).
            return new String(body, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new InvalidTokenRequestException("cannot read the request body");
        }
    }

    private static void error(ServerResponse res, Status status, String code, String oauthError, String message) {
        JsonAnswer.registryError(res, status, code, oauthError, message);
    }

    private static void send(ServerResponse res, Status status, Object body) {
        JsonAnswer.send(res, status, body);
    }
}
