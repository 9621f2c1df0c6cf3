package dev.portcullis.engine;

import java.util.List;
import java.util.Optional;

/** How a message's body is delimited, decided once from its head (RFC 9112 section 6). */
public sealed interface Framing {
    /** No body. */
    record None() implements Framing {}

    /** Exactly this many bytes. */
    record Fixed(long length) implements Framing {}

    /** Chunked transfer coding. */
    record Chunked() implements Framing {}

    /** Until the sender closes (a response only). */
    record UntilClose() implements Framing {}

    /**
     * A request's framing: both Content-Length and Transfer-Encoding, either twice, a length that is
     * not digits, or a coding other than {@code chunked} are refused, never resolved.
     */
    static Framing ofRequest(HttpHead head, boolean http10) {
        List<String> te = head.all("Transfer-Encoding");
        List<String> cl = head.all("Content-Length");
        if (!te.isEmpty() && !cl.isEmpty()) {
            throw Refusal.malformed("both Content-Length and Transfer-Encoding");
        }
        if (!te.isEmpty()) {
            if (http10) {
                throw Refusal.malformed("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (te.size() > 1 || !te.getFirst().equalsIgnoreCase("chunked")) {
                throw Refusal.malformed("Transfer-Encoding other than a single 'chunked'");
            }
            return new Chunked();
        }
        return length(head).<Framing>map(Fixed::new).orElse(new None());
    }

    /** A response's framing, for a request of this method. */
    static Framing ofResponse(HttpHead head, int status, String requestMethod) {
        if (requestMethod.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
            return new None();
        }
        List<String> te = head.all("Transfer-Encoding");
        if (!te.isEmpty()) {
            String last = te.getLast().strip();
            return last.toLowerCase(java.util.Locale.ROOT).endsWith("chunked") ? new Chunked() : new UntilClose();
        }
        return length(head).<Framing>map(Fixed::new).orElse(new UntilClose());
    }

    private static Optional<Long> length(HttpHead head) {
        Optional<String> v = head.single("Content-Length");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String s = v.get();
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Refusal.malformed("Content-Length '" + HttpHead.printable(s) + "' is not a number");
        }
        return Optional.of(Long.parseLong(s));
    }
}
