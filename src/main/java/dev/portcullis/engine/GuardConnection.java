package dev.portcullis.engine;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * One client's connection: the TLS handshake, its identity, then request after request judged and
 * passed to one engine connection of its own, the answers streamed back; a hijacked stream (101)
 * joins the two connections until both sides are done.
 */
final class GuardConnection implements Runnable {
    private static final Logger LOG = Logger.getLogger(GuardConnection.class.getName());
    private static final int HANDSHAKE_MILLIS = 10_000;
    private static final int BODY_READ_MILLIS = 300_000;

    private final SSLSocket client;
    private final GuardContext ctx;
    private final String clientIp;
    private Upstream.Connection up;
    private boolean upFresh;

    GuardConnection(SSLSocket client, GuardContext ctx) {
        this.client = client;
        this.ctx = ctx;
        this.clientIp = client.getInetAddress().getHostAddress();
    }

    @Override
    public void run() {
        try (client) {
            client.setSoTimeout(HANDSHAKE_MILLIS);
            client.startHandshake();
            X509Certificate peer = (X509Certificate) client.getSession().getPeerCertificates()[0];
            InputStream in = new BufferedInputStream(client.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 16 * 1024);
            Optional<String> identity = Identity.of(peer);
            if (identity.isEmpty() || ctx.revoked(peer)) {
                String why = identity.isEmpty() ? "the client certificate names no identity (no SPIFFE ID, no CN)"
                        : "the client certificate is revoked (serial " + peer.getSerialNumber().toString(16) + ")";
                if (ctx.audit("connection", identity.orElse(peer.getSubjectX500Principal().getName()), clientIp, "", "deny", why)) {
                    Answers.refuse(out, new Refusal(Refusal.Kind.FORBIDDEN, why));
                }
                return;
            }
            Exchange exchange = new Exchange(identity.get(), in, out);
            while (exchange.next()) {
                // one request after the other, on the same connections
            }
        } catch (SSLException e) {
            LOG.log(Level.FINE, "TLS with " + clientIp + " failed: " + e.getMessage());
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection from " + clientIp + " ended: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection from " + clientIp + " failed", e);
        } finally {
            closeUpstream();
        }
    }

    private void closeUpstream() {
        if (up != null) {
            up.close();
            up = null;
        }
    }

    private Upstream.Connection upstream() throws IOException {
        if (up == null) {
            up = ctx.upstream().connect();
            upFresh = true;
        }
        return up;
    }

    /** The requests of the connection, one at a time. */
    private final class Exchange {
        private final String identity;
        private final InputStream in;
        private final OutputStream out;
        private boolean streams;
        private StreamWatch watch;

        Exchange(String identity, InputStream in, OutputStream out) {
            this.identity = identity;
            this.in = in;
            this.out = out;
        }

        /** Handles one request; false when the connection is done. */
        boolean next() throws IOException {
            client.setSoTimeout((int) ctx.settings().idleTimeout().toMillis());
            Optional<HttpHead> read;
            try {
                read = HttpHead.read(in);
            } catch (SocketTimeoutException e) {
                return false;
            } catch (Refusal r) {
                ctx.audit("request", identity, clientIp, "", "deny", r.getMessage());
                Answers.refuse(out, r);
                return false;
            }
            if (read.isEmpty()) {
                return false;
            }
            client.setSoTimeout(BODY_READ_MILLIS);
            HttpHead head = read.get();
            RequestLine line;
            Framing framing;
            EnginePath path;
            try {
                line = RequestLine.parse(head.startLine());
                framing = Framing.ofRequest(head, line.http10());
                if (!line.http10() && head.single("Host").isEmpty()) {
                    throw Refusal.malformed("an HTTP/1.1 request without Host");
                }
                path = EnginePath.parse(line.target());
            } catch (Refusal r) {
                ctx.audit("request", identity, clientIp, HttpHead.printable(head.startLine()), "deny", r.getMessage());
                Answers.refuse(out, r);
                return false;
            }
            String endpoint = line.method() + " " + path.matchPath();
            IdentityRules rules = ctx.rules().forIdentity(identity);
            boolean expects = head.lists("Expect", "100-continue") && !(framing instanceof Framing.None);
            byte[] body = null;
            String rule;
            Optional<String> denial;
            String needs = "";
            try {
                Judged judged = judgeHead(rules, line, path);
                rule = judged.rule();
                denial = judged.denial();
                boolean reads = denial.isEmpty() || ctx.rules().learning(); // learning reads what it would deny, to log it
                if (reads && expects) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                if (reads && line.method().equals("POST") && path.matchPath().equals("/containers/create")) {
                    byte[] whole = Bodies.readWhole(framing, in, ctx.rules().maxBody());
                    framing = new Framing.None();
                    switch (CreateCheck.check(whole, rules)) {
                        case CreateCheck.Outcome.Allowed a -> {
                            body = a.body();
                            if (denial.isEmpty()) {
                                denial = ctx.imageCheck(identity, a.image());
                            }
                        }
                        case CreateCheck.Outcome.Denied d -> {
                            body = whole;
                            needs = "needs: " + String.join("; ", d.needs());
                            if (denial.isEmpty()) {
                                denial = Optional.of("the rules of " + identity + " do not allow " + String.join(", ", d.reasons()));
                            }
                        }
                    }
                }
            } catch (Refusal r) {
                if (ctx.audit("request", identity, clientIp, endpoint, "deny", r.getMessage())) {
                    Answers.refuse(out, r);
                }
                return false;
            }
            if (denial.isPresent()) {
                if (!ctx.rules().learning()) {
                    if (!expects) {
                        drain(framing);
                    }
                    if (ctx.audit("request", identity, clientIp, endpoint, "deny", denial.get())) {
                        Answers.refuse(out, new Refusal(Refusal.Kind.FORBIDDEN, denial.get()));
                    }
                    return false;
                }
                rule = "learning: would deny: " + denial.get();
            }
            if (!ctx.audit("request", identity, clientIp, endpoint, denial.isPresent() ? "learn" : "allow", rule, needs)) {
                Answers.refuse(out, new Refusal(Refusal.Kind.UNAVAILABLE, "the audit log cannot be written; nothing is passed on"));
                return false;
            }
            return forward(head, line, path, framing, body);
        }

        /** The rule that allowed the head, or why it is denied. */
        private record Judged(String rule, Optional<String> denial) {}

        // The endpoint, then the owner of the container it acts on.
        private Judged judgeHead(IdentityRules rules, RequestLine line, EnginePath path) throws IOException {
            Optional<EndpointPattern> allowed = rules.endpoint(line.method(), path);
            if (allowed.isEmpty()) {
                return new Judged("", Optional.of("the rules of " + identity + " do not allow " + line.method() + " " + path.matchPath()));
            }
            Optional<Ownership.Target> target = Ownership.target(path);
            if (rules.ownerOnly() && target.isPresent()) {
                Ownership.Owner owner = new EngineQuestions(GuardConnection.this::upstream, GuardConnection.this::closeUpstream)
                        .owner(path, target.get());
                Optional<String> refusal = Ownership.refusal(identity, target.get(), owner);
                if (refusal.isPresent()) {
                    return new Judged(allowed.get().text(), refusal);
                }
            }
            return new Judged(allowed.get().text(), Optional.empty());
        }

        private void drain(Framing framing) {
            try {
                Bodies.readWhole(framing, in, ctx.rules().maxBody());
            } catch (IOException | RuntimeException e) {
                // the answer closes the connection anyway; draining only lets the client read it
            }
        }

        private boolean forward(HttpHead head, RequestLine line, EnginePath path, Framing framing, byte[] body) throws IOException {
            List<String> remove = new ArrayList<>(List.of("Expect"));
            List<HttpHead.Header> add = new ArrayList<>();
            if (body != null) {
                remove.addAll(List.of("Content-Length", "Transfer-Encoding"));
                add.add(new HttpHead.Header("Content-Length", Integer.toString(body.length)));
            }
            HttpHead upHead = new HttpHead(line.method() + " " + path.forwardTarget() + " " + line.version(), head.headers())
                    .replacing(remove, add);
            boolean retryable = body != null || framing instanceof Framing.None;
            streams = StreamWatch.streams(line, path) && framing instanceof Framing.None;
            watch = null;
            Optional<HttpHead> response;
            try {
                response = send(upHead, framing, body);
                if (response.isEmpty() && retryable && !upFresh) {
                    closeUpstream(); // the engine closed the idle connection: once more on a new one
                    response = send(upHead, framing, body);
                }
            } catch (IOException e) {
                closeUpstream();
                Answers.refuse(out, new Refusal(Refusal.Kind.UPSTREAM, "the engine cannot be reached: " + e.getMessage()));
                return false;
            }
            if (response.isEmpty()) {
                closeUpstream();
                Answers.refuse(out, new Refusal(Refusal.Kind.UPSTREAM, "the engine closed the connection without answering"));
                return false;
            }
            return relay(line, path, head, response.get());
        }

        private Optional<HttpHead> send(HttpHead upHead, Framing framing, byte[] body) throws IOException {
            Upstream.Connection u = upstream();
            u.out.write(upHead.encode());
            if (body != null) {
                u.out.write(body);
            } else {
                Bodies.copy(framing, in, u.out);
            }
            u.out.flush();
            upFresh = false;
            if (watch != null) {
                watch.watch(u);
            } else if (streams) {
                watch = new StreamWatch(client, in, u);
            }
            return HttpHead.read(u.in);
        }

        // The engine's answer back to the client; interim answers first, a 101 turns into a hijacked stream.
        private boolean relay(RequestLine line, EnginePath path, HttpHead request, HttpHead response) throws IOException {
            while (true) {
                int status = Answers.status(response);
                if (status == 101) {
                    out.write(response.encode());
                    out.flush();
                    Hijack.join(client, in, out, up);
                    up = null;
                    return false;
                }
                if (status / 100 == 1) {
                    out.write(response.encode());
                    out.flush();
                    response = HttpHead.read(up.in).orElseThrow(() -> new IOException("the engine closed after an interim answer"));
                    continue;
                }
                Framing framing = Framing.ofResponse(response, status, line.method());
                out.write(response.encode());
                if (!(framing instanceof Framing.Fixed f && f.length() <= up.in.available())) {
                    out.flush(); // the head now: an engine may hold the body back (wait, events, logs -f)
                }
                if (watch != null) {
                    try (StreamWatch w = watch) {
                        Bodies.copy(framing, up.in, out);
                    }
                    closeUpstream();
                    return false; // the watch holds the client's input: the connection ends with the stream
                }
                Bodies.copy(framing, up.in, out);
                boolean engineCloses = response.lists("Connection", "close") || framing instanceof Framing.UntilClose;
                if (engineCloses) {
                    closeUpstream();
                }
                boolean clientCloses = request.lists("Connection", "close")
                        || line.http10() && !request.lists("Connection", "keep-alive");
                return !clientCloses && !(framing instanceof Framing.UntilClose);
            }
        }
    }
}
