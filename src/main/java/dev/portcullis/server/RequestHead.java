package dev.portcullis.server;

import dev.portcullis.server.RequestFraming.Rejected;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.x request head as {@link RequestFraming} needs it: how its body is framed and whether the
 * connection closes after it. Every line is checked against RFC 9112's grammar; the head is refused
 * rather than guessed at, since a lenient parser in front of a strict one (or the reverse) is what
 * request smuggling is made of.
 *
 * @param contentLength the body's length, 0 when there is none or it is chunked
 * @param rewritten     the head to pass on when it had to change (HTTP/1.0), else {@code null}
 */
record RequestHead(long contentLength, boolean chunked, boolean closeAfter, byte[] rewritten) {

    /** Parses {@code buf[off, off + len)}, which ends with the empty line. */
    static RequestHead parse(byte[] buf, int off, int len) {
        int end = off + len - 2; // the final CRLF
        int lineEnd = lineEnd(buf, off, end);
        if (lineEnd - off > RequestFraming.MAX_REQUEST_LINE) {
            throw new Rejected(414, "request line longer than " + RequestFraming.MAX_REQUEST_LINE + " bytes");
        }
        int minor = requestLineVersion(buf, off, lineEnd);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        boolean keepAlive = false;
        int hosts = 0;
        for (int p = lineEnd + 2; p < end; ) {
            int e = lineEnd(buf, p, end);
            int colon = checkField(buf, p, e);
            String name = new String(buf, p, colon - p, StandardCharsets.US_ASCII);
            String value = new String(buf, colon + 1, e - colon - 1, StandardCharsets.ISO_8859_1).strip();
            if (name.equalsIgnoreCase("content-length")) {
                if (length >= 0) {
                    throw new Rejected(400, "more than one Content-Length header");
                }
                length = contentLength(value);
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                if (chunked) {
                    throw new Rejected(400, "more than one Transfer-Encoding header");
                }
                if (!value.equalsIgnoreCase("chunked")) {
                    throw new Rejected(value.toLowerCase(java.util.Locale.ROOT).contains("chunked") ? 501 : 400,
                            "Transfer-Encoding must be exactly 'chunked'");
                }
                chunked = true;
            } else if (name.equalsIgnoreCase("connection")) {
                for (String token : value.split(",")) {
                    String t = token.strip();
                    close |= t.equalsIgnoreCase("close");
                    keepAlive |= t.equalsIgnoreCase("keep-alive");
                }
            } else if (name.equalsIgnoreCase("host")) {
                hosts++;
            }
            p = e + 2;
        }
        if (chunked && length >= 0) {
            throw new Rejected(400, "Content-Length and Transfer-Encoding together");
        }
        if (hosts > 1) {
            throw new Rejected(400, "more than one Host header");
        }
        if (minor == 1) {
            if (hosts == 0) {
                throw new Rejected(400, "an HTTP/1.1 request needs a Host header");
            }
            return new RequestHead(Math.max(length, 0), chunked, close, null);
        }
        if (chunked) {
            throw new Rejected(400, "Transfer-Encoding in an HTTP/1.0 request");
        }
        boolean closeAfter = close || !keepAlive;
        return new RequestHead(Math.max(length, 0), false, closeAfter, asHttp11(buf, off, lineEnd, end, closeAfter, hosts == 0));
    }

    /** Checks {@code method SP target SP HTTP/1.x}; returns the minor version (0 or 1). */
    private static int requestLineVersion(byte[] b, int from, int to) {
        int sp1 = -1;
        int sp2 = -1;
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c == ' ') {
                if (sp1 < 0) {
                    sp1 = i;
                } else if (sp2 < 0) {
                    sp2 = i;
                } else {
                    throw new Rejected(400, "malformed request line");
                }
            } else if (c <= 0x20 || c >= 0x7f) {
                throw new Rejected(400, "request line holds a control or non-ASCII character");
            }
        }
        if (sp1 <= from || sp2 <= sp1 + 1) {
            throw new Rejected(400, "malformed request line");
        }
        for (int i = from; i < sp1; i++) {
            if (!isTokenChar(b[i])) {
                throw new Rejected(400, "malformed request method");
            }
        }
        int v = sp2 + 1;
        if (to - v != 8 || !new String(b, v, 5, StandardCharsets.US_ASCII).equals("HTTP/")
                || !isDigit(b[v + 5]) || b[v + 6] != '.' || !isDigit(b[v + 7])) {
            throw new Rejected(400, "malformed HTTP version");
        }
        if (b[v + 5] != '1' || (b[v + 7] != '0' && b[v + 7] != '1')) {
            throw new Rejected(505, "HTTP version not supported: only HTTP/1.1 and HTTP/1.0");
        }
        return b[v + 7] - '0';
    }

    /** Checks one {@code field-name ":" OWS field-value OWS} line in {@code [from, to)}; returns the colon's index. */
    static int checkField(byte[] b, int from, int to) {
        if (from < to && (b[from] == ' ' || b[from] == '\t')) {
            throw new Rejected(400, "folded header line (obs-fold)");
        }
        int colon = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
            if (!isTokenChar(b[i])) {
                throw new Rejected(400, "malformed header name");
            }
        }
        if (colon <= from) {
            throw new Rejected(400, "header line without a name and a colon");
        }
        if (hasControlCharacter(b, colon + 1, to)) {
            throw new Rejected(400, "header value holds a control character");
        }
        return colon;
    }

    /** True if {@code [from, to)} holds a control character other than HTAB (RFC 9110 field-value). */
    static boolean hasControlCharacter(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** The end of the line starting at {@code from}: the index of its CR. Bare CR or LF are refused. */
    private static int lineEnd(byte[] b, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (b[i] == '\r') {
                if (b[i + 1] != '\n') {
                    throw new Rejected(400, "bare CR in the request head");
                }
                return i;
            }
            if (b[i] == '\n') {
                throw new Rejected(400, "bare LF in the request head");
            }
        }
        return limit;
    }

    private static long contentLength(String value) {
        if (value.isEmpty() || value.length() > 15) {
            throw new Rejected(400, "Content-Length is not a number of at most 15 digits");
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isDigit((byte) value.charAt(i))) {
                throw new Rejected(400, "Content-Length is not a number");
            }
        }
        return Long.parseLong(value);
    }

    private static byte[] asHttp11(byte[] b, int from, int lineEnd, int end, boolean close, boolean addHost) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - from + 64);
        out.write(b, from, lineEnd - from - 1);
        out.write('1');
        out.write('\r');
        out.write('\n');
        out.write(b, lineEnd + 2, Math.max(0, end - lineEnd - 2));
        if (close) {
            out.writeBytes("Connection: close\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (addHost) {
            out.writeBytes("Host: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(new byte[] {'\r', '\n'});
        return out.toByteArray();
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
