package dev.portcullis.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The head of an HTTP/1.x message read strictly, as a security proxy must (RFC 9112): CRLF line ends
 * only, no obsolete line folding, no control characters, no space before a colon, a bounded size;
 * what two parsers could read differently is refused instead of guessed at.
 *
 * @param startLine the request line or the status line
 */
public record HttpHead(String startLine, List<Header> headers) {
    /** The most a head may hold, all lines together. */
    public static final int MAX_BYTES = 32 * 1024;
    static final int MAX_HEADERS = 128;

    /** One header field as received (the name's case kept). */
    public record Header(String name, String value) {
        public Header {
            if (!isToken(name)) {
                throw Refusal.malformed("header name '" + printable(name) + "' is not a token");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                    throw Refusal.malformed("header " + name + " holds a control character");
                }
            }
        }
    }

    public HttpHead {
        headers = List.copyOf(headers);
    }

    /** Reads one head; empty at a clean end of the stream before its first byte. */
    public static Optional<HttpHead> read(InputStream in) throws IOException {
        int[] budget = {MAX_BYTES};
        String start = line(in, budget, true);
        if (start == null) {
            return Optional.empty();
        }
        List<Header> headers = new ArrayList<>();
        while (true) {
            String line = line(in, budget, false);
            if (line.isEmpty()) {
                break;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw Refusal.malformed("obsolete line folding is not accepted");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw Refusal.malformed("header line without a name and a colon");
            }
            String name = line.substring(0, colon);
            if (name.endsWith(" ") || name.endsWith("\t")) {
                throw Refusal.malformed("whitespace between a header name and its colon");
            }
            if (headers.size() == MAX_HEADERS) {
                throw new Refusal(Refusal.Kind.HEAD_TOO_LARGE, "more than " + MAX_HEADERS + " header fields");
            }
            headers.add(new Header(name, line.substring(colon + 1).strip()));
        }
        return Optional.of(new HttpHead(start, headers));
    }

    // One line up to CRLF, as ISO-8859-1; null only at EOF before the first byte of a head.
    private static String line(InputStream in, int[] budget, boolean first) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (first && b.isEmpty()) {
                    return null;
                }
                throw Refusal.malformed("the connection ended inside a message head");
            }
            if (--budget[0] < 0) {
                throw new Refusal(Refusal.Kind.HEAD_TOO_LARGE, "the message head is larger than " + MAX_BYTES + " bytes");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw Refusal.malformed("a CR not followed by LF");
                }
                budget[0]--;
                return b.toString();
            }
            if (c == '\n') {
                throw Refusal.malformed("a line ending in a bare LF");
            }
            if (c == 0) {
                throw Refusal.malformed("a NUL byte in the message head");
            }
            b.append((char) c);
        }
    }

    /** Every value of a header, the name compared without case. */
    public List<String> all(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /** The one value of a header; {@link Refusal} when it appears more than once. */
    public Optional<String> single(String name) {
        List<String> values = all(name);
        if (values.size() > 1) {
            throw Refusal.malformed("header " + name + " appears " + values.size() + " times");
        }
        return values.stream().findFirst();
    }

    /** Whether a comma-separated header (Connection, Upgrade) lists the token. */
    public boolean lists(String name, String token) {
        return all(name).stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .anyMatch(t -> t.strip().equalsIgnoreCase(token));
    }

    /** The same head without the named headers and with these added at the end. */
    public HttpHead replacing(List<String> remove, List<Header> add) {
        List<Header> out = new ArrayList<>();
        for (Header h : headers) {
            if (remove.stream().noneMatch(r -> r.equalsIgnoreCase(h.name()))) {
                out.add(h);
            }
        }
        out.addAll(add);
        return new HttpHead(startLine, out);
    }

    /** The head as bytes on the wire, ending with the empty line. */
    public byte[] encode() {
        StringBuilder b = new StringBuilder(startLine).append("\r\n");
        headers.forEach(h -> b.append(h.name()).append(": ").append(h.value()).append("\r\n"));
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c < 0x7f && c > 0x20 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String printable(String s) {
        return s.codePoints().limit(64).collect(StringBuilder::new,
                (b, c) -> b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format(Locale.ROOT, "\\x%02x", c)),
                StringBuilder::append).toString();
    }
}
